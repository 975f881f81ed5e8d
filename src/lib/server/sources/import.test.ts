/**
 * File import and the recolouring it triggers, on a real database and real keys: bad rows reported by line
 * and nothing written, encodings (UTF-8 with BOM, GB18030 with the flag, invalid UTF-8 without it), the size
 * cap, JSON array and NDJSON; then a positive test recolours exactly its person (audit entry, old codes on the
 * status list, the new code in "my codes") and nobody else.
 */
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { accountForPhone } from '../issuer/accounts.js';
import { nameHmac } from '../issuer/cross-check.js';
import { submitDeclaration } from '../issuer/declare.js';
import { myCodes } from '../issuer/my-codes.js';
import { idHmac } from '../issuer/people.js';
import { ImportFailed, importRows, type ImportOptions } from './import.js';
import { importFile } from './import-file.js';
import { KINDS, type KindName } from './kinds.js';
import { pushRecords } from './push.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(3));

function* chunksOf(bytes: Uint8Array, size = 7): Generator<Uint8Array> {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const utf8 = (s: string) => new TextEncoder().encode(s);

function run(kind: KindName, bytes: Uint8Array, opts: Partial<ImportOptions> = {}) {
	return importRows(f.deps.db, KINDS[kind], chunksOf(bytes), { hmacKey: f.deps.hmacKey, nowMs: f.clock.now }, { format: 'csv', ...opts });
}
const failure = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => (e instanceof ImportFailed ? e : Promise.reject(e as Error))
	);
const count = async (t: 'health_tests' | 'household_register' | 'resident_colour_events') =>
	Number(
		(
			await f.deps.db
				.selectFrom(t)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

async function declared(p: typeof ZHANG) {
	const id = await accountForPhone(f.deps, p.phone, f.clock.now);
	await f.deps.db
		.updateTable('accounts')
		.set({ device_key: toBase64Url(device.publicKey) })
		.where('id', '=', id)
		.execute();
	await submitDeclaration(
		f.deps,
		{ id },
		{
			name: p.name,
			idNumber: p.id,
			phone: p.phone,
			region: p.region,
			addressDetail: '1 号',
			temperature: 36.5,
			symptoms: ['none'],
			travel: []
		}
	);
	return id;
}

describe('file import', () => {
	it('reports every bad row by line and field, and writes nothing', async () => {
		const csv = [
			'idNumber,sampledAt,result',
			`${ZHANG.id},2026-11-28T08:00:00+08:00,negative`,
			`${LI.id},yesterday,negative`,
			`440305199003071237,2026-11-28 09:00,maybe`,
			`${LI.id},2026-11-28 09:00,阴性`
		].join('\n');
		const e = await failure(run('tests', utf8(csv)));
		expect(e!.errors.map((x) => `${x.line}:${x.field}:${x.code}`)).toEqual([
			'3:sampledAt:time/format',
			'4:idNumber:id/checksum',
			'4:result:field/enum'
		]);
		expect(e!.errorCount).toBe(2);
		expect(await count('health_tests')).toBe(0);
	});

	it('names a control character (a NUL, which PostgreSQL cannot store) by line and field, and writes nothing', async () => {
		const csv = [
			'idNumber,sampledAt,result',
			`${ZHANG.id},2026-11-28T08:00:00+08:00,nega\u0000tive`,
			`${LI.id}\u0007,2026-11-28T08:00:00+08:00,negative`
		].join('\n');
		const e = await failure(run('tests', utf8(csv)));
		expect(e!.errors.map((x) => `${x.line}:${x.field}:${x.code}`)).toEqual(['2:result:text/control', '3:idNumber:text/control']);
		expect(await count('health_tests')).toBe(0);
	});

	it('refuses an unknown or missing column at line 1', async () => {
		const e = await failure(run('tests', utf8(`idNumber,sampled,result\n${ZHANG.id},2026-11-28,negative\n`)));
		expect(e!.errors.map((x) => `${x.line}:${x.field}:${x.code}`)).toEqual([
			'1:sampled:import/unknown-column',
			'1:sampledAt:import/missing-column'
		]);
	});

	it('imports UTF-8 with a BOM and Chinese values; a GB18030 file with the flag; invalid UTF-8 without it names the line', async () => {
		const rows = `idNumber,name,region,household\n${ZHANG.id},张伟,440305,H1\n${LI.id},李娜,440304,H2\n`;
		expect((await run('register', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(rows)]))).rows).toBe(2);
		const gbRows = `idNumber,name,region\n11010519491231002X,赵敏,110105\n`;
		const gb = new Uint8Array(iconv.encode(gbRows, 'gb18030'));
		const e = await failure(run('register', gb));
		expect(e!.errors[0]).toMatchObject({ line: 2, code: 'import/encoding' });
		expect(e!.errors[0]!.message).toMatch(/--encoding gb18030/);
		expect((await run('register', gb, { encoding: 'gb18030' })).rows).toBe(1);
		const stored = await f.deps.db
			.selectFrom('household_register')
			.select('name_hmac')
			.where('id_hmac', '=', idHmac(f.deps.hmacKey, 'resident', '11010519491231002X'))
			.executeTakeFirstOrThrow();
		expect(stored.name_hmac).toBe(nameHmac(f.deps.hmacKey, '赵敏'));
	});

	it('streams JSON arrays and NDJSON; malformed JSON names its line', async () => {
		const arr = `[\n {"idNumber": "${ZHANG.id}", "sampledAt": "2026-11-28T08:00:00Z", "result": "negative"},\n {"idNumber": "${LI.id}", "sampledAt": "2026-11-28T08:00:00Z", "result": "positive"}\n]`;
		expect((await run('tests', utf8(arr), { format: 'json' })).rows).toBe(2);
		const nd = `{"idNumber": "${ZHANG.id}", "sampledAt": "2026-11-27T08:00:00Z", "result": "negative"}\n{"idNumber": "${LI.id}", "sampledAt": 5}\n`;
		const e = await failure(run('tests', utf8(nd), { format: 'json' }));
		expect(e!.errors.map((x) => `${x.line}:${x.field}`)).toEqual(['2:sampledAt', '2:result']);
		const broken = await failure(run('tests', utf8(`[\n{"idNumber": "x",}\n]`), { format: 'json' }));
		expect(broken!.errors[0]).toMatchObject({ line: 2, code: 'import/json' });
		expect(await count('health_tests')).toBe(2);
	});

	it('stops past the size cap with a clear error and nothing written; a large file streams through', async () => {
		const lines = ['idNumber,sampledAt,result'];
		for (let i = 0; i < 5_000; i++)
			lines.push(
				`${i % 2 ? ZHANG.id : LI.id},2026-11-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z,negative`
			);
		const big = utf8(lines.join('\n'));
		const e = await failure(run('tests', big, { maxBytes: 50_000 }));
		expect(e!.errors[0]!.code).toBe('import/too-large');
		expect(await count('health_tests')).toBe(0);
		const seen: number[] = [];
		let t = 0;
		const ok = await importRows(
			f.deps.db,
			KINDS.tests,
			chunksOf(big, 64 * 1024),
			{ hmacKey: f.deps.hmacKey, nowMs: f.clock.now },
			{ format: 'csv', totalBytes: big.length, clock: () => (t += 10), progressEveryMs: 1000, onProgress: (p) => seen.push(p.bytes) }
		);
		expect(ok.rows).toBe(5_000);
		expect(seen.length).toBeGreaterThan(1);
		expect(seen.at(-1)).toBe(big.length);
	}, 30_000);
});

describe('recolouring after new facts', () => {
	it('a positive test recolours its person: audit entry, old codes on the status list, new code in my codes; others untouched', async () => {
		const zhang = await declared(ZHANG);
		const li = await declared(LI);
		const before = await myCodes(f.deps, zhang);
		const oldIds = before.people[0]!.codes.map((c) => c.codeId);
		expect(before.people[0]!.codes[0]!.colour).toBe('green');
		const liAudit = await f.deps.db
			.selectFrom('colour_events')
			.select('id')
			.where('person_id', '=', (await myCodes(f.deps, li)).people[0]!.personId)
			.execute();
		const liResident = await f.deps.db
			.selectFrom('resident_colour_events')
			.select('id')
			.where('ref', '=', idHmac(f.deps.hmacKey, 'resident', LI.id))
			.execute();
		f.clock.now += 60_000;
		const out = await importFile(
			f.deps,
			'tests',
			chunksOf(utf8(`idNumber,sampledAt,result\n${ZHANG.id},2026-11-28T08:00:00+08:00,阳性\n`)),
			{ format: 'csv' },
			'staff/test'
		);
		expect(out.rows).toBe(1);
		expect(out.recoloured).toMatchObject({ evaluated: 1, changed: 1, transitions: { 'green→red': 1 } });
		const ref = idHmac(f.deps.hmacKey, 'resident', ZHANG.id);
		const audit = await f.deps.db
			.selectFrom('resident_colour_events')
			.selectAll()
			.where('ref', '=', ref)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ colour: 'red', previous_colour: 'green', actor: 'staff/test' });
		expect(JSON.parse(audit.reasons_json)).toEqual(['positive-test']);
		expect((JSON.parse(audit.facts_json) as string[]).some((x) => x.startsWith('test:'))).toBe(true);
		const revoked = await f.deps.db.selectFrom('status_entries').select('code_id').where('code_id', 'in', oldIds).execute();
		expect(revoked.map((r) => r.code_id).sort()).toEqual([...oldIds].sort());
		const after = await myCodes(f.deps, zhang);
		expect(after.people[0]!.codes.map((c) => c.colour)).toEqual(['red', 'red']);
		expect(after.people[0]!.codes[0]!.reasons).toEqual(['positive-test']);
		// nobody else re-evaluated or audited
		expect(
			await f.deps.db
				.selectFrom('colour_events')
				.select('id')
				.where('person_id', '=', (await myCodes(f.deps, li)).people[0]!.personId)
				.execute()
		).toEqual(liAudit);
		expect(
			await f.deps.db
				.selectFrom('resident_colour_events')
				.select('id')
				.where('ref', '=', idHmac(f.deps.hmacKey, 'resident', LI.id))
				.execute()
		).toEqual(liResident);
		// the same file again changes nothing (same fact id, same colour)
		const again = await importFile(
			f.deps,
			'tests',
			chunksOf(utf8(`idNumber,sampledAt,result\n${ZHANG.id},2026-11-28T08:00:00+08:00,positive\n`)),
			{ format: 'csv' },
			'staff/test'
		);
		expect(again.recoloured).toMatchObject({ evaluated: 1, changed: 0 });
	});

	it('pushes use the same validators: a bad record → 422 naming it, nothing written; a case and its contact are recoloured', async () => {
		const bad = await pushRecords(
			f.deps,
			'cases',
			{
				records: [
					{ idNumber: ZHANG.id, confirmedAt: '2026-11-28T08:00:00Z' },
					{ idNumber: LI.id, confirmedAt: '2026-11-28', extra: 1 }
				]
			},
			'source/health/k1'
		).catch((e: unknown) => e);
		expect(bad).toBeInstanceOf(DomainError);
		expect((bad as DomainError).errors!.map((e) => e.field)).toEqual(['records.1.extra']);
		expect(await count('resident_colour_events')).toBe(0);
		await pushRecords(
			f.deps,
			'relations',
			{ records: [{ idNumber: LI.id, contactOf: ZHANG.id, kind: '密接', exposedAt: '2026-11-27T10:00:00+08:00' }] },
			'source/public-security/k2'
		);
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: ZHANG.id, confirmedAt: '2026-11-28T08:00:00Z' }] },
			'source/health/k1'
		);
		expect(out).toEqual({ accepted: 1, recoloured: { evaluated: 2, changed: 1 } });
		const colours = await f.deps.db.selectFrom('resident_colours').select(['ref', 'colour', 'reasons_json']).execute();
		const byRef = new Map(colours.map((c) => [c.ref, c]));
		expect(byRef.get(idHmac(f.deps.hmacKey, 'resident', ZHANG.id))).toMatchObject({ colour: 'red', reasons_json: '["confirmed-case"]' });
		expect(byRef.get(idHmac(f.deps.hmacKey, 'resident', LI.id))).toMatchObject({ colour: 'red', reasons_json: '["close-contact"]' });
	});
});
