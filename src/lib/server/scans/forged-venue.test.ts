/**
 * Catalogue case 10 (forged or shared venue codes, Henan): a scan changes someone's colour only when an enrolled
 * guard device at that venue recorded it. A device enrolled elsewhere that claims another venue (the forged venue
 * id) is refused `wrong-venue` and stores nothing; an unknown token is no device at all. So the resident stays
 * green. The control at the end — the same scan from the hot venue's own device — turns them yellow by the
 * venue co-visit rule, which is what the forged scans would have done had they been believed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { chainScanEvent } from '../../core/scan-log.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { accountForPhone } from '../issuer/accounts.js';
import { submitDeclaration } from '../issuer/declare.js';
import { idHmac } from '../issuer/people.js';
import { recolour } from '../recolour/recolour.js';
import { invalidateEngine } from '../recolour/engine.js';
import { pushRecords } from '../sources/push.js';
import { addVenue, enrolGuard, guardForToken } from './guards.js';
import { ingestScans } from './ingest.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const CASE_ID = '440304198511124567';
const MIN = 60_000;

async function declaredGreen(): Promise<{ ref: string; codeId: string }> {
	const id = await accountForPhone(f.deps, ZHANG.phone, f.clock.now);
	const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
	await f.deps.db
		.updateTable('accounts')
		.set({ device_key: toBase64Url(device.publicKey) })
		.where('id', '=', id)
		.execute();
	await submitDeclaration(
		f.deps,
		{ id },
		{
			name: ZHANG.name,
			idNumber: ZHANG.id,
			phone: ZHANG.phone,
			region: ZHANG.region,
			addressDetail: '1 号',
			temperature: 36.5,
			symptoms: ['none'],
			travel: []
		}
	);
	const ref = idHmac(f.deps.hmacKey, 'resident', ZHANG.id);
	const code = await f.deps.db
		.selectFrom('codes')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select('codes.code_id')
		.where('people.id_hmac', '=', ref)
		.executeTakeFirstOrThrow();
	return { ref, codeId: code.code_id };
}

async function deviceAt(venueId: string) {
	const e = await enrolGuard(f.deps.db, f.deps.hmacKey, venueId, f.clock.now);
	const d = await guardForToken(f.deps.db, f.deps.hmacKey, e.token);
	if (!d || d === 'revoked') throw new Error('no device');
	return d;
}

async function colourOf(ref: string): Promise<string | undefined> {
	invalidateEngine();
	await recolour(f.deps, [ref], { actor: 'test' });
	return (await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', ref).executeTakeFirst())?.colour;
}

describe('forged venue codes change no colour', () => {
	it('a scan claiming a venue its device is not enrolled at is refused and recolours nobody; the real venue device does', async () => {
		const hospital = await addVenue(f.deps.db, { name: '市第一医院', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		const library = await addVenue(f.deps.db, { name: '南山图书馆', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		// a confirmed case was at the hospital an hour ago
		const caseRef = idHmac(f.deps.hmacKey, 'resident', CASE_ID);
		await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: CASE_ID, confirmedAt: new Date(f.clock.now - 30 * MIN).toISOString() }] },
			'test'
		);
		await f.deps.db
			.insertInto('venue_visits')
			.values({ id: 'case-visit-1', ref: caseRef, venue_id: hospital, at: f.clock.now - 60 * MIN })
			.execute();

		const person = await declaredGreen();
		expect(await colourOf(person.ref)).toBe('green');

		// the forged scan: the resident's code "scanned at the hospital" at the case's time, sent by the library's guard device
		const libraryDevice = await deviceAt(library);
		const forged = chainScanEvent(null, {
			eventId: 'forged-visit-0001',
			deviceId: libraryDevice.id,
			venueId: hospital,
			scannedAt: f.clock.now - 55 * MIN,
			codeId: person.codeId,
			verdict: 'valid',
			reason: 'ok'
		});
		const refused = await ingestScans(f.deps.db, libraryDevice, [forged], f.clock.now);
		expect(refused.acks).toEqual([expect.objectContaining({ eventId: forged.eventId, status: 'rejected', reason: 'wrong-venue' })]);
		// and a token no guard device was enrolled with is no device at all (the route answers auth/device)
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, toBase64Url(new Uint8Array(32).fill(9)))).toBeNull();

		expect(await f.deps.db.selectFrom('scan_events').selectAll().execute()).toEqual([]);
		expect(await colourOf(person.ref)).toBe('green');

		// control: the hospital's own device recording the same scan is believed — the rule the forgery aimed at
		const hospitalDevice = await deviceAt(hospital);
		const real = chainScanEvent(null, { ...forged, eventId: 'real-visit-00001', deviceId: hospitalDevice.id });
		const accepted = await ingestScans(f.deps.db, hospitalDevice, [real], f.clock.now);
		expect(accepted.acks[0]).toMatchObject({ status: 'accepted' });
		expect(await colourOf(person.ref)).toBe('yellow');
	});
});
