import { describe, expect, it } from 'vitest';
import { paperValidityMs } from './paper-validity.js';
import { StartupError } from '../startup-error.js';

const DAY = 86_400_000;

describe('paperValidityMs', () => {
	it('defaults to 7 days', () => {
		expect(paperValidityMs({})).toBe(7 * DAY);
		expect(paperValidityMs({ TONGXING_PAPER_VALIDITY_DAYS: '' })).toBe(7 * DAY);
	});
	it('takes 1 to 14 whole days', () => {
		expect(paperValidityMs({ TONGXING_PAPER_VALIDITY_DAYS: '1' })).toBe(DAY);
		expect(paperValidityMs({ TONGXING_PAPER_VALIDITY_DAYS: ' 14 ' })).toBe(14 * DAY);
	});
	it.each(['0', '15', '1.5', '-3', 'seven', '7d'])('refuses %s with a line naming the variable', (raw) => {
		expect(() => paperValidityMs({ TONGXING_PAPER_VALIDITY_DAYS: raw })).toThrow(StartupError);
		expect(() => paperValidityMs({ TONGXING_PAPER_VALIDITY_DAYS: raw })).toThrow(/TONGXING_PAPER_VALIDITY_DAYS .*1 to 14: /);
	});
});
