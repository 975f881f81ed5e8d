import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainScanEvent, type ScanEvent } from '../../core/scan-log.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { addVenue, enrolGuard, guardForToken } from './guards.js';
import { ingestScans } from './ingest.js';
import { openPhone } from '../crypto/phone-seal.js';

let f: IssuerFixture;
let device: { id: string; venue_id: string };
let token: string;

beforeEach(async () => {
	f = await issuerFixture();
	const venue = await addVenue(f.deps.db, { name: '南山图书馆', region: '440305', policy: 'green-only', nowMs: f.clock.now });
	const e = await enrolGuard(f.deps.db, f.deps.hmacKey, venue, f.clock.now);
	token = e.token;
	device = await deviceOf(token);
});

/** The enrolled device behind a token (these tests never revoke it). */
async function deviceOf(t: string) {
	const d = await guardForToken(f.deps.db, f.deps.hmacKey, t);
	if (!d || d === 'revoked') throw new Error('no device');
	return d;
}
afterEach(() => f.close());

function chain(n: number, from: ScanEvent | null = null): ScanEvent[] {
	const out: ScanEvent[] = [];
	let prev = from;
	for (let i = 0; i < n; i++) {
		prev = chainScanEvent(prev, {
			eventId: `evt-${(prev?.seq ?? 0) + 1}-abcdef`,
			deviceId: device.id,
			venueId: device.venue_id,
			scannedAt: f.clock.now + i,
			codeId: 'AAAAAAAAAAAAAAAA',
			verdict: 'valid',
			reason: 'ok'
		});
		out.push(prev);
	}
	return out;
}

const count = async () => (await f.deps.db.selectFrom('scan_events').selectAll().execute()).length;

describe('scan ingest', () => {
	it('accepts a batch, and the same batch again is all duplicates (idempotent)', async () => {
		const events = chain(5);
		const first = await ingestScans(f.deps.db, device, events, f.clock.now);
		expect(first.acks.map((a) => a.status)).toEqual(Array(5).fill('accepted'));
		const again = await ingestScans(f.deps.db, device, [...events].reverse(), f.clock.now);
		expect(again.acks.map((a) => a.status)).toEqual(Array(5).fill('duplicate'));
		expect(await count()).toBe(5);
	});

	it('a malformed item is rejected with a reason and does not block the rest', async () => {
		const [a, b] = chain(2);
		const res = await ingestScans(
			f.deps.db,
			device,
			[a, { eventId: 'bogus-123', seq: 'x' }, 42, { ...b!, verdict: 'green' }, b],
			f.clock.now
		);
		expect(res.acks).toEqual(
			expect.arrayContaining([
				{ eventId: 'bogus-123', status: 'rejected', reason: 'bad-seq' },
				{ eventId: null, status: 'rejected', reason: 'not-an-object' },
				{ eventId: b!.eventId, status: 'rejected', reason: 'bad-verdict' },
				{ eventId: a!.eventId, status: 'accepted', seq: 1 },
				{ eventId: b!.eventId, status: 'accepted', seq: 2 }
			])
		);
		expect(await count()).toBe(2);
	});

	it('refuses a tampered event (hash) and a broken chain; reports gaps', async () => {
		const events = chain(4);
		const tampered = { ...events[1]!, verdict: 'invalid' as const };
		expect((await ingestScans(f.deps.db, device, [tampered], f.clock.now)).acks[0]).toMatchObject({
			status: 'rejected',
			reason: 'bad-hash'
		});
		const res = await ingestScans(f.deps.db, device, [events[0], events[3]], f.clock.now);
		expect(res.gaps).toEqual([[2, 3]]);
		const forged = chainScanEvent(
			{ seq: 1, hash: 'not-the-real-hash' },
			{ eventId: 'forged-2-abc', deviceId: device.id, venueId: device.venue_id, scannedAt: 1, codeId: null, verdict: 'valid', reason: 'ok' }
		);
		expect((await ingestScans(f.deps.db, device, [forged], f.clock.now)).acks[0]).toMatchObject({
			status: 'rejected',
			reason: 'chain-broken'
		});
		const filled = await ingestScans(f.deps.db, device, [events[1], events[2]], f.clock.now);
		expect(filled.gaps).toEqual([]);
		expect(await count()).toBe(4);
	});

	it('two uploads of the same events at once store each exactly once', async () => {
		const events = chain(20);
		await Promise.all([ingestScans(f.deps.db, device, events, f.clock.now), ingestScans(f.deps.db, device, events, f.clock.now)]);
		expect(await count()).toBe(20);
	});

	it('events purged by retention do not turn into a permanent gap', async () => {
		const events = chain(5);
		await ingestScans(f.deps.db, device, events.slice(0, 3), f.clock.now);
		await f.deps.db.deleteFrom('scan_events').where('seq', '<=', 2).execute();
		expect((await ingestScans(f.deps.db, device, events.slice(3), f.clock.now)).gaps).toEqual([]);
	});

	it('random upload orders: acks, gaps and the watermark agree with what is stored', async () => {
		const venue = device.venue_id;
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(fc.integer({ min: 0, max: 39 }), { maxLength: 25 }), { minLength: 1, maxLength: 8 }),
				async (script) => {
					device = await deviceOf((await enrolGuard(f.deps.db, f.deps.hmacKey, venue, f.clock.now)).token);
					const events = chain(40);
					const stored = new Set<number>();
					for (const batch of script) {
						const items = batch.map((i) => events[i]!);
						const res = await ingestScans(f.deps.db, device, items, f.clock.now);
						const seen = new Set<number>();
						for (const [k, ack] of res.acks.entries()) {
							const e = items.find((x) => x.eventId === ack.eventId)!;
							expect(e).toBeDefined();
							if (ack.status === 'accepted') {
								expect(stored.has(e.seq) || seen.has(e.seq)).toBe(false);
								// its predecessor, when stored, is the one it links to (a chain from one device always links)
								seen.add(e.seq);
							} else expect(ack.status, `ack ${k}`).toBe('duplicate');
						}
						for (const seq of seen) stored.add(seq);
						const rows = await f.deps.db
							.selectFrom('scan_events')
							.select('seq')
							.where('device_id', '=', device.id)
							.orderBy('seq')
							.execute();
						expect(rows.map((r) => r.seq)).toEqual([...stored].sort((a, b) => a - b));
						const max = Math.max(0, ...stored);
						const expectedGaps: [number, number][] = [];
						let mark = 0;
						while (stored.has(mark + 1)) mark++;
						for (let seq = mark + 1; seq <= max; seq++) {
							if (stored.has(seq)) continue;
							const start = seq;
							while (seq + 1 <= max && !stored.has(seq + 1)) seq++;
							expectedGaps.push([start, seq]);
						}
						expect(res.gaps).toEqual(expectedGaps);
						const dev = await f.deps.db
							.selectFrom('guard_devices')
							.select(['last_seq', 'last_hash'])
							.where('id', '=', device.id)
							.executeTakeFirstOrThrow();
						expect(dev.last_seq).toBe(mark);
						if (mark > 0) expect(dev.last_hash).toBe(events[mark - 1]!.hash);
					}
				}
			),
			{ numRuns: 60 }
		);
	}, 60_000);

	it('unknown tokens are not devices', async () => {
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, 'nope')).toBeNull();
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, token)).toEqual(device);
	});
	it('a registration rides on its scan: stored once, phone sealed, attached on a re-send, never replaced; bad ones rejected', async () => {
		const [a, b] = chain(2);
		const reg = { name: '张三丰', phone: '13800138000', at: f.clock.now };
		const key = f.deps.phoneKey;
		const ingest = (items: unknown[]) => ingestScans(f.deps.db, device, items, f.clock.now, undefined, key);
		// a uploaded before the guard registered, then re-sent with the registration (duplicate: same hash)
		expect((await ingest([a])).acks[0]).toMatchObject({ status: 'accepted' });
		expect((await ingest([{ ...a, registration: reg }])).acks[0]).toMatchObject({ status: 'duplicate' });
		expect((await ingest([{ ...b, registration: { ...reg, name: '李四' } }])).acks[0]).toMatchObject({ status: 'accepted' });
		// a later different registration for a does not replace the first
		await ingest([{ ...a, registration: { ...reg, name: '王五' } }]);
		const rows = await f.deps.db
			.selectFrom('scan_events')
			.select(['event_id', 'registration_name', 'registration_phone_enc', 'registration_at'])
			.orderBy('seq')
			.execute();
		expect(rows.map((r) => r.registration_name)).toEqual(['张三丰', '李四']);
		expect(rows[0]!.registration_phone_enc).not.toContain('13800138000');
		expect(openPhone(key, a!.eventId, rows[0]!.registration_phone_enc!)).toBe('13800138000');
		expect(Number(rows[0]!.registration_at)).toBe(reg.at);
		// invalid registrations, or none accepted without a key to seal the phone
		const [c] = chain(1, b);
		for (const bad of [{ ...reg, phone: 'x' }, { ...reg, name: '' }, null, 'reg'])
			expect((await ingest([{ ...c, registration: bad }])).acks[0]).toMatchObject({ status: 'rejected', reason: 'bad-registration' });
		expect((await ingestScans(f.deps.db, device, [{ ...c, registration: reg }], f.clock.now)).acks[0]).toMatchObject({
			status: 'rejected',
			reason: 'bad-registration'
		});
	});
});
