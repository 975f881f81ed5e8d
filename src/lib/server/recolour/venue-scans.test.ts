/**
 * Venue scans as evidence on the server's path (core scan-stays.ts, docs/rules.md "Venue scans"): a confirmed case
 * imported with cell-only points recolours, through the incremental candidate search and the live world index,
 * the resident known only to the same cell (not everyone scans) — but not the one whose code a guard scanned into
 * another venue while the case was scanned into its own: the scans contradict the cell. And the candidate search of a case
 * import reaches who scanned in up to a scan stay after the case (beyond the co-visit window).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainScanEvent } from '../../core/scan-log.js';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { idHmac } from '../issuer/people.js';
import { addVenue, enrolGuard, guardForToken } from '../scans/guards.js';
import { ingestScans } from '../scans/ingest.js';
import { pushRecords } from '../sources/push.js';
import { DEFAULT_RULES } from '../../core/rules/default-rules.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { saveRules } from './rule-sets.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const WANG = { name: '王芳', id: '440306197805207892', phone: '13700137000', region: '440306' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const colour = async (id: string) =>
	(await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', ref(id)).executeTakeFirstOrThrow()).colour;

/** 40 minutes known only to cell C1 (800 m), then a fix far away */
const inCell = (phone: string, t: number) => [
	{ phone, at: iso(t), lat: 22.5405, lon: 114.06, cell: 'C1', accuracyM: 800 },
	{ phone, at: iso(t + 40 * MIN), lat: 22.8, lon: 114.4, accuracyM: 10 }
];

async function codeOf(id: string): Promise<string> {
	const row = await f.deps.db
		.selectFrom('codes')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select('codes.code_id')
		.where('people.id_hmac', '=', ref(id))
		.executeTakeFirstOrThrow();
	return row.code_id;
}

describe('venue scans on the live path', () => {
	it('contradict cell-only co-presence: scanned into another venue stays green; the same cell without a scan turns yellow', async () => {
		for (const p of [ZHANG, LI, WANG]) await declaredResident(f, p, device);
		const t = f.clock.now - 5 * 60 * MIN;
		const mall = await addVenue(f.deps.db, { name: '万象城', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		const clinic = await addVenue(f.deps.db, { name: '社康中心', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		await pushRecords(
			f.deps,
			'trajectory',
			{ records: [...inCell(WANG.phone, t), ...inCell(ZHANG.phone, t), ...inCell(LI.phone, t)] },
			'source/carrier/k'
		);
		// the case's code scanned at the mall, 张伟's at the clinic, both as the hour began; 李娜 scanned nowhere
		const enrolled = await enrolGuard(f.deps.db, f.deps.hmacKey, clinic, f.clock.now);
		const guard = await guardForToken(f.deps.db, f.deps.hmacKey, enrolled.token);
		if (!guard || guard === 'revoked') throw new Error('no guard device');
		const scan = chainScanEvent(null, {
			eventId: 'clinic-scan-0001',
			deviceId: guard.id,
			venueId: clinic,
			scannedAt: t + MIN,
			codeId: await codeOf(ZHANG.id),
			verdict: 'valid',
			reason: 'ok'
		});
		expect((await ingestScans(f.deps.db, guard, [scan], f.clock.now)).acks[0]).toMatchObject({ status: 'accepted' });
		await f.deps.db
			.insertInto('venue_visits')
			.values({ id: 'case-visit-1', ref: ref(WANG.id), venue_id: mall, at: t })
			.execute();
		expect(await colour(ZHANG.id)).toBe('green');
		expect(await colour(LI.id)).toBe('green');

		f.clock.now += MIN;
		await pushRecords(f.deps, 'cases', { records: [{ idNumber: WANG.id, confirmedAt: iso(f.clock.now - 30 * MIN) }] }, 'source/health/k');
		expect(await colour(WANG.id)).toBe('red');
		// 李娜: 40 min in the case's cell × coarseWeight 0.5 = 20 min ≥ 10
		expect(await colour(LI.id)).toBe('yellow');
		// 张伟: the scans put him in the clinic from minute 1 while the case was in the mall (its 40-min stay): 1 min × 0.5 left
		expect(await colour(ZHANG.id)).toBe('green');
	});

	it('a case import finds who scanned in up to a scan stay after the case, beyond the co-visit window', async () => {
		// rules with a 90-minute scan stay: entries 60 min apart overlap 30 min, which the ± 30 min co-visit rule misses
		const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
		const rules: RuleSet = {
			...DEFAULT_RULES,
			version: 'test-scan-90',
			rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...c, precise: { ...c.precise, scanStayMinutes: 90 } } }
		};
		await saveRules(f.deps, rules, 'staff/s1');
		for (const p of [LI, WANG]) await declaredResident(f, p, device);
		const t = f.clock.now - 5 * 60 * MIN;
		const mall = await addVenue(f.deps.db, { name: '万象城', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		await f.deps.db
			.insertInto('venue_visits')
			.values({ id: 'case-visit-1', ref: ref(WANG.id), venue_id: mall, at: t })
			.execute();
		await f.deps.db
			.insertInto('venue_visits')
			.values({ id: 'li-visit-1', ref: ref(LI.id), venue_id: mall, at: t + 60 * MIN })
			.execute();
		f.clock.now += MIN;
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(f.clock.now - 30 * MIN) }] },
			'source/health/k'
		);
		// the candidates: the case and 李娜 (found by the venue look-up widened to the scan stay)
		expect(out.recoloured).toEqual({ evaluated: 2, changed: 2 });
		expect(await colour(LI.id)).toBe('yellow');
	});
});
