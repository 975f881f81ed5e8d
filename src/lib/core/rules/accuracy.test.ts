import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';

describe('accuracy', () => {
	it('counts against the truth', () => {
		const truth = new Map([
			['a', true],
			['b', true],
			['c', false],
			['d', false],
			['e', false],
			['f', false]
		]);
		const predicted = new Map([
			['a', true],
			['c', true],
			['d', false],
			['z', true]
		]);
		expect(accuracy(predicted, truth)).toEqual({
			truePositives: 1,
			falseNegatives: 1,
			falsePositives: 1,
			trueNegatives: 3,
			unscored: 1,
			falsePositiveRate: 0.25,
			recall: 0.5,
			precision: 0.5
		});
	});

	it('gives null rates for empty denominators', () => {
		expect(accuracy(new Map(), new Map())).toMatchObject({ falsePositiveRate: null, recall: null, precision: null });
	});
});
