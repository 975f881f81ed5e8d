import { describe, expect, it } from 'vitest';
import { checkFact, sourceRegionsOf } from './fact.js';
import { routingHash } from './routing-hash.js';

const key = new Uint8Array(32).fill(9);
const subject = routingHash(key, '11010519491231002X');
const now = 1_795_000_000;
const base = { id: '440300:x1', rev: 0, region: '440300', subject, recordedAt: now };
const check = (o: Record<string, unknown>) => checkFact(o, { sender: '440300', nowSec: now });

describe('checkFact', () => {
	it('accepts each kind with its fields', () => {
		for (const f of [
			{ ...base, kind: 'test-result', sampledAt: now - 10, result: 'negative' },
			{ ...base, kind: 'confirmed-case', confirmedAt: now - 10, releasedAt: now - 5 },
			{ ...base, kind: 'quarantine-order', from: now - 10, until: now + 86_400 * 14 },
			{ ...base, kind: 'close-contact', contactKind: 'secondary', exposedAt: now - 10 },
			{ ...base, kind: 'venue-co-visit', venue: 'v1', venueName: '店', at: now - 10 }
		])
			expect(check(f)).toMatchObject({ ok: true });
	});

	it.each([
		['not an object', [], 'fact/shape', undefined],
		['missing field', { ...base, kind: 'test-result', result: 'negative' }, 'fact/field', 'sampledAt'],
		['id of another region', { ...base, id: '110105:x', kind: 'test-result', sampledAt: now, result: 'negative' }, 'fact/id', 'id'],
		[
			'region not the signer',
			{ ...base, region: '110105', id: '110105:x', kind: 'test-result', sampledAt: now, result: 'negative' },
			'fact/region',
			'region'
		],
		['milliseconds in the future', { ...base, kind: 'test-result', sampledAt: now * 1000, result: 'negative' }, 'fact/future', 'sampledAt'],
		['fractional time', { ...base, kind: 'test-result', sampledAt: now - 0.5, result: 'negative' }, 'fact/time', 'sampledAt'],
		['released before confirmed', { ...base, kind: 'confirmed-case', confirmedAt: now, releasedAt: now - 1 }, 'fact/order', 'releasedAt'],
		['contact of themselves', { ...base, kind: 'close-contact', contactKind: 'close', exposedAt: now, of: subject }, 'fact/value', 'of'],
		['contact kind unknown', { ...base, kind: 'close-contact', contactKind: 'far', exposedAt: now }, 'fact/value', 'contactKind'],
		['venue name empty', { ...base, kind: 'venue-co-visit', venue: 'v1', venueName: ' ', at: now }, 'fact/value', 'venueName'],
		['a field of another kind', { ...base, kind: 'test-result', sampledAt: now, result: 'negative', until: now }, 'fact/field', 'until']
	])('%s → %s', (_n, raw, code, field) => {
		expect(check(raw as Record<string, unknown>)).toEqual(field === undefined ? { ok: false, code } : { ok: false, code, field });
	});

	it('tolerates 10 minutes of clock skew, not more', () => {
		expect(check({ ...base, kind: 'test-result', sampledAt: now + 600, result: 'negative' }).ok).toBe(true);
		expect(check({ ...base, kind: 'test-result', sampledAt: now + 601, result: 'negative' }).ok).toBe(false);
	});
});

describe('sourceRegionsOf', () => {
	it('names the regions of received facts only', () => {
		expect(sourceRegionsOf(['test:440300:abc', 'test:Zx9', 'case:110105:q', 'visit:440300:v', 'declaration:1'])).toEqual([
			'110105',
			'440300'
		]);
	});
});
