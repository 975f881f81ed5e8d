import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '$lib/core/rules/default-rules';
import { validateRules } from '$lib/core/rules/rules-schema';
import { readPath, withPath, withTestsCount } from './rules-form';

const doc = () => JSON.parse(JSON.stringify(DEFAULT_RULES)) as unknown;

describe('rules form paths', () => {
	it('reads and writes a dotted path without touching the original', () => {
		const d = doc();
		const next = withPath(d, 'rules.close-contact.holdDays', 10);
		expect(readPath(next, 'rules.close-contact.holdDays')).toBe(10);
		expect(readPath(d, 'rules.close-contact.holdDays')).toBe(DEFAULT_RULES.rules['close-contact'].holdDays);
		expect(validateRules(next).ok).toBe(true);
	});

	it('an out-of-range value written by the form is refused with its range', () => {
		const r = validateRules(withPath(doc(), 'rules.spatiotemporal-companion.precise.distanceM', 9000));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'rules.spatiotemporal-companion.precise.distanceM', min: 0, max: 5000 });
	});

	it('the venue-scan stay (scanStayMinutes): the defaults carry 40, the range is 0 to 1440, empty means 0 (scans unused)', () => {
		const path = 'rules.spatiotemporal-companion.precise.scanStayMinutes';
		expect(readPath(doc(), path)).toBe(40);
		const r = validateRules(withPath(doc(), path, 1441));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors).toEqual([expect.objectContaining({ path, code: 'rules/range', min: 0, max: 1440 })]);
		expect(validateRules(withPath(doc(), path, -1)).ok).toBe(false);
		const off = validateRules(withPath(doc(), path, undefined));
		expect(off.ok && off.rules.rules['spatiotemporal-companion'].precise.scanStayMinutes).toBe(0);
		expect(validateRules(withPath(doc(), path, 1440)).ok).toBe(true);
	});

	it('tests: empty means none needed; a count where none were needed starts from the defaults', () => {
		const none = withTestsCount(doc(), 'close-contact', '');
		expect(readPath(none, 'rules.close-contact.tests')).toBeNull();
		const again = withTestsCount(none, 'close-contact', '3');
		expect(readPath(again, 'rules.close-contact.tests')).toEqual({ count: 3, apartHours: 24, withinDays: 7 });
		expect(validateRules(again).ok).toBe(true);
	});
});
