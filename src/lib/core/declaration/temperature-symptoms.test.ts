import { describe, expect, it } from 'vitest';
import { errorsOf, validate, withPatch } from './declaration-fixtures.js';

describe('validateDeclaration: boundaries', () => {
	it.each([
		[34.0, true, false],
		[33.9, 'temperature/range', false],
		[43.0, true, true],
		[43.1, 'temperature/range', false],
		[-36.5, 'temperature/range', false],
		[37.2, true, false],
		[37.3, true, true],
		[0.1 * 373, true, true], // 37.300000000000004
		[37.25, 'temperature/precision', false],
		[36.5, true, false]
	] as const)('temperature %s', (temperature, outcome, fever) => {
		const r = validate(withPatch({ temperature }));
		if (outcome === true) expect(r).toMatchObject({ ok: true, value: { feverDeclared: fever } });
		else expect(errorsOf(withPatch({ temperature }))).toEqual([['temperature', outcome]]);
	});

	it('symptoms other than none set symptomsDeclared', () => {
		expect(validate(withPatch({ symptoms: ['loss-of-smell-taste'] }))).toMatchObject({ ok: true, value: { symptomsDeclared: true } });
		expect(
			validate(
				withPatch({ symptoms: ['fever', 'cough', 'sore-throat', 'fatigue', 'loss-of-smell-taste', 'shortness-of-breath', 'diarrhoea'] })
			).ok
		).toBe(true);
	});
});
