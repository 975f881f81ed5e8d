import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { RULES_ERRORS, rulesErrorsToFieldErrors, validateRules } from './rules-schema.js';

const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(DEFAULT_RULES)) as Record<string, unknown>;

/** Sets (or deletes, with undefined) the value at a dotted path of a fresh copy of the defaults. */
function withValue(path: string, value: unknown): Record<string, unknown> {
	const doc = clone();
	const keys = path.split('.');
	let o = doc;
	for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
	if (value === undefined) delete o[keys.at(-1)!];
	else o[keys.at(-1)!] = value;
	return doc;
}

const seen = new Set<string>();
function errorsOf(input: unknown): [string, string][] {
	const r = validateRules(input);
	if (r.ok) return [];
	for (const e of r.errors) seen.add(e.code);
	return r.errors.map((e) => [e.path, e.code]);
}

describe('validateRules', () => {
	it('accepts the defaults, also after a JSON round trip', () => {
		expect(validateRules(DEFAULT_RULES)).toEqual({ ok: true, rules: DEFAULT_RULES });
		expect(validateRules(clone())).toEqual({ ok: true, rules: DEFAULT_RULES });
	});

	const ROWS: [string, unknown, string][] = [
		['format', 'tongxing-rules/2', 'rules/format'],
		['format', undefined, 'rules/required'],
		['version', '', 'rules/version'],
		['version', 'v 1', 'rules/version'],
		['version', 3, 'rules/type'],
		['effectiveFrom', -1, 'rules/range'],
		['effectiveFrom', 1.5, 'rules/integer'],
		['effectiveFrom', '2026-01-01', 'rules/type'],
		['trajectory.maxPointGapMinutes', 0, 'rules/range'],
		['trajectory.maxPointGapMinutes', 24 * 60 + 1, 'rules/range'],
		['trajectory', [], 'rules/type'],
		['rules.close-contact.active', 'yes', 'rules/type'],
		['rules.close-contact.colour', 'green', 'rules/colour'],
		['rules.close-contact.colour', undefined, 'rules/required'],
		['rules.close-contact.holdDays', -1, 'rules/range'],
		['rules.close-contact.holdDays', 366, 'rules/range'],
		['rules.close-contact.lookbackDays', undefined, 'rules/required'],
		['rules.close-contact.lookbackDays', '14', 'rules/type'],
		['rules.close-contact.tests.count', 0, 'rules/range'],
		['rules.close-contact.tests.count', 2.5, 'rules/integer'],
		['rules.close-contact.tests.apartHours', Number.NaN, 'rules/type'],
		['rules.close-contact.tests.withinDays', undefined, 'rules/required'],
		['rules.close-contact.tests', { count: 3, apartHours: 48, withinDays: 3 }, 'rules/tests-unsatisfiable'],
		['rules.close-contact.tests', 'two', 'rules/type'],
		['rules.close-contact.extra', 1, 'rules/unknown-field'],
		['rules.quarantine-order.holdDays', 3, 'rules/unknown-field'],
		['rules.spatiotemporal-companion.method', 'hexagon', 'rules/method'],
		['rules.spatiotemporal-companion.grid.cellSizeM', 800.5, 'rules/integer'],
		['rules.spatiotemporal-companion.grid.cellSizeM', 10, 'rules/range'],
		['rules.spatiotemporal-companion.precise.accuracyFactor', 1.5, 'rules/range'],
		['rules.spatiotemporal-companion.precise.minDwellMinutes', 0, 'rules/range'],
		['rules.spatiotemporal-companion.precise', undefined, 'rules/required'],
		['rules.spatiotemporal-companion.precise.scanStayMinutes', -1, 'rules/range'],
		['rules.spatiotemporal-companion.precise.scanStayMinutes', 24 * 60 + 1, 'rules/range'],
		['rules.spatiotemporal-companion.precise.scanStayMinutes', '40', 'rules/type'],
		['rules.high-risk-area-stay.minDwellMinutes', -5, 'rules/range'],
		['rules.high-risk-area-stay.accuracyFactor', -0.1, 'rules/range'],
		['rules.high-risk-area-stay.accuracyFactor', 3.01, 'rules/range'],
		['rules.high-risk-area-stay.accuracyFactor', null, 'rules/type'],
		['rules.medium-risk-area-stay.accuracyFactor', '1', 'rules/type'],
		['rules.medium-risk-area-stay.maxAccuracyM', -1, 'rules/range'],
		['rules.medium-risk-area-stay.maxAccuracyM', 100_001, 'rules/range'],
		['rules.medium-risk-area-stay.maxAccuracyM', Infinity, 'rules/type'],
		['rules.high-risk-area-stay.maxAccuracyM', '200', 'rules/type'],
		['rules.venue-co-visit.windowMinutes', Infinity, 'rules/type'],
		['rules.fever-declared.thresholdC', 30, 'rules/range'],
		['rules.symptoms-declared', undefined, 'rules/required'],
		['rules.unknown-rule', { active: true, colour: 'red' }, 'rules/unknown-field'],
		['surprise', true, 'rules/unknown-field']
	];
	it.each(ROWS)('%s = %j → %s', (path, value, code) => {
		expect(errorsOf(withValue(path, value))).toEqual([[path, code]]);
	});

	it('accepts the risk-area geometry at its limits', () => {
		for (const [path, value] of [
			['rules.high-risk-area-stay.accuracyFactor', 0],
			['rules.high-risk-area-stay.accuracyFactor', 3],
			['rules.high-risk-area-stay.maxAccuracyM', 0],
			['rules.high-risk-area-stay.maxAccuracyM', 100_000],
			['rules.high-risk-area-stay.maxAccuracyM', null]
		] as const) {
			expect(errorsOf(withValue(path, value)), `${path} = ${value}`).toEqual([]);
		}
	});

	it('fills the risk-area geometry of a document stored before it existed with the old behaviour (centre only, no limit)', () => {
		const doc = clone() as { rules: Record<string, Record<string, unknown>> };
		for (const name of ['high-risk-area-stay', 'medium-risk-area-stay']) {
			delete doc.rules[name]!.accuracyFactor;
			delete doc.rules[name]!.maxAccuracyM;
		}
		const r = validateRules(doc);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		for (const name of ['high-risk-area-stay', 'medium-risk-area-stay'] as const) {
			expect(r.rules.rules[name]).toEqual({ ...DEFAULT_RULES.rules[name], accuracyFactor: 0, maxAccuracyM: null });
		}
		// and keeps the defaults' values when they are given
		expect(validateRules(clone())).toEqual({ ok: true, rules: DEFAULT_RULES });
	});

	it('reads a companion rule stored before scans were evidence with scans off (scanStayMinutes 0)', () => {
		const r = validateRules(withValue('rules.spatiotemporal-companion.precise.scanStayMinutes', undefined));
		expect(r.ok && r.rules.rules['spatiotemporal-companion'].precise.scanStayMinutes).toBe(0);
	});

	it('rejects non-objects as a whole', () => {
		for (const input of [null, [], 'rules', 42, undefined])
			expect(errorsOf(input)).toEqual([['', input === undefined ? 'rules/required' : 'rules/type']]);
	});

	it('reports every failing field at once, in document order', () => {
		const doc = withValue('version', '');
		(doc.rules as Record<string, Record<string, unknown>>)['positive-test']!.holdDays = -1;
		(doc.rules as Record<string, Record<string, unknown>>)['fever-declared']!.thresholdC = 50;
		expect(errorsOf(doc)).toEqual([
			['version', 'rules/version'],
			['rules.positive-test.holdDays', 'rules/range'],
			['rules.fever-declared.thresholdC', 'rules/range']
		]);
	});

	it('treats a __proto__ key from JSON.parse as an unknown field', () => {
		const doc = JSON.parse(JSON.stringify(DEFAULT_RULES).replace('"trajectory":{', '"trajectory":{"__proto__":{"x":1},')) as unknown;
		expect(errorsOf(doc)).toEqual([['trajectory.__proto__', 'rules/unknown-field']]);
	});

	it('maps to problem+json field errors', () => {
		const r = validateRules(withValue('version', ''));
		expect(r.ok ? [] : rulesErrorsToFieldErrors(r.errors)).toEqual([
			{ field: 'version', code: 'rules/version', message: RULES_ERRORS['rules/version'] }
		]);
	});

	it('has every code covered except the catch-all', () => {
		expect([...seen].sort()).toEqual(
			Object.keys(RULES_ERRORS)
				.filter((c) => c !== 'rules/invalid-value')
				.sort()
		);
	});
});

describe('out-of-range values name their range (the console rules form and preview show it)', () => {
	it.each([
		['rules.close-contact.holdDays', 400, 0, 365],
		['rules.close-contact.tests.count', 0, 1, 20],
		['rules.spatiotemporal-companion.precise.distanceM', 6000, 0, 5000],
		['rules.spatiotemporal-companion.precise.accuracyFactor', 1.5, 0, 1],
		['effectiveFrom', -1, 0, 2 ** 40]
	])('%s = %s: between %s and %s, in both languages', (path, value, min, max) => {
		const r = validateRules(withValue(path, value));
		expect(r.ok).toBe(false);
		const e = !r.ok ? r.errors.find((x) => x.path === path) : undefined;
		expect(e).toMatchObject({ code: 'rules/range', min, max });
		expect(e!.message.en).toBe(`Out of range: must be between ${min} and ${max}`);
		expect(e!.message['zh-CN']).toBe(`数值超出允许范围：须在 ${min} 到 ${max} 之间`);
		expect(rulesErrorsToFieldErrors([e!])[0]!.message).toEqual(e!.message);
	});
});
