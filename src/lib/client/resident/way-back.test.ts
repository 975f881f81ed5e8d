import { describe, expect, it } from 'vitest';
import type { Explanation } from '$lib/core/contract/resident';
import { greenOutlook, reasonSource, stepsByReason } from './way-back';

const x = (path: Explanation['path']): Explanation => ({ ruleVersion: 'v', details: [], path });

describe('greenOutlook', () => {
	it('a hold alone (medium-risk stay): green on the hold end, in ms', () => {
		expect(greenOutlook(x([{ reason: 'medium-risk-area-stay', kind: 'wait-until', until: 1_000 }]))).toEqual({
			kind: 'on-date',
			at: 1_000_000
		});
	});
	it('tests still to do: after the tests, not before the latest hold or order', () => {
		const path: Explanation['path'] = [
			{ reason: 'quarantine-order', kind: 'quarantine-ends', until: 3_000 },
			{ reason: 'close-contact', kind: 'wait-until', until: 2_000 },
			{ reason: 'close-contact', kind: 'negative-tests', count: 5, apartHours: 12, withinDays: 7, after: 100, done: 2 }
		];
		expect(greenOutlook(x(path))).toEqual({ kind: 'after-tests', left: 3, notBefore: 3_000_000, byItself: null });
		expect(greenOutlook(x(path.slice(2)))).toEqual({ kind: 'after-tests', left: 3, notBefore: null, byItself: null });
		// every reason ages out by a known time: without the tests, green then
		const details = [
			{ reason: 'quarantine-order', at: 1, endsAt: 3_000 },
			{ reason: 'close-contact', at: 100, endsAt: 100 + 14 * 86_400 + 1 }
		];
		expect(greenOutlook({ ...x(path), details })).toMatchObject({ kind: 'after-tests', byItself: (100 + 14 * 86_400 + 1) * 1000 });
		// one reason that never ends by itself (an undated release): no such date
		expect(greenOutlook({ ...x(path), details: [...details, { reason: 'confirmed-case', at: 1, endsAt: null }] })).toMatchObject({
			byItself: null
		});
	});
	it('tests all done: the latest end wins', () => {
		expect(
			greenOutlook(
				x([
					{ reason: 'secondary-contact', kind: 'wait-until', until: 5_000 },
					{ reason: 'secondary-contact', kind: 'negative-tests', count: 3, apartHours: 48, withinDays: 7, after: 100, done: 3 }
				])
			)
		).toEqual({ kind: 'on-date', at: 5_000_000 });
	});
	it('a release with no date: waits for the health authority; with a date: that date', () => {
		expect(greenOutlook(x([{ reason: 'confirmed-case', kind: 'release' }]))).toEqual({ kind: 'release' });
		expect(greenOutlook(x([{ reason: 'confirmed-case', kind: 'release', until: 9 }]))).toEqual({ kind: 'on-date', at: 9_000 });
	});
	it('nothing to explain: null', () => {
		expect(greenOutlook(null)).toBeNull();
		expect(greenOutlook(x([]))).toBeNull();
	});
});

describe('stepsByReason and reasonSource', () => {
	it('groups steps by reason in order', () => {
		const g = stepsByReason([
			{ reason: 'a', kind: 'wait-until', until: 1 },
			{ reason: 'b', kind: 'wait-until', until: 2 },
			{ reason: 'a', kind: 'release' }
		]);
		expect(g.map((s) => [s.reason, s.steps.length])).toEqual([
			['a', 2],
			['b', 1]
		]);
	});
	it('names the source of each reason', () => {
		expect(reasonSource('medium-risk-area-stay')).toBe('carrier');
		expect(reasonSource('secondary-contact')).toBe('public-security');
		expect(reasonSource('venue-co-visit')).toBe('venue');
		expect(reasonSource('positive-test')).toBe('health');
		expect(reasonSource('fever-declared')).toBe('declaration');
		expect(reasonSource('authority-decision')).toBe('authority');
	});
});
