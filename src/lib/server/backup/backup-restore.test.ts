/**
 * `tongxing backup` / `tongxing restore` (docs/drills.md §4) on SQLite and, with TEST_DATABASE_URL, PostgreSQL: a
 * backup taken while scans keep arriving restores into a fresh DATA_DIR with every count, scan chain, status list
 * and audit digest as the backup's manifest says; keys come back byte for byte, only with the passphrase; a
 * tampered scan log, a wrong passphrase and a non-fresh target are refused.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chainScanEvent, type ScanEvent } from '../../core/scan-log.js';
import { addVenue, enrolGuard, guardForToken } from '../scans/guards.js';
import { ingestScans } from '../scans/ingest.js';
import { dropPostgresSchema } from '../store/drop-pg-schema.js';
import { compareManifests, databaseManifest } from '../store/database-manifest.js';
import { openDatabase, type OpenOptions } from '../store/open.js';
import { appendToStatusList } from '../store/status-list.js';
import { insertStaffAudit } from '../store/staff-audit.js';
import { backupDataDir } from './backup-data-dir.js';
import { KeyArchiveError } from './key-archive.js';
import { restoreDataDir } from './restore-data-dir.js';
import { isSchemaEntry } from '../store/backup-database.js';

const PG = process.env.TEST_DATABASE_URL;
const PASS = 'correct horse battery staple';
const dirs: string[] = [];
const schemas: string[] = [];
afterEach(async () => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
	for (const s of schemas.splice(0)) await dropPostgresSchema(PG!, s);
});

function tmp(name: string): string {
	const d = mkdtempSync(join(tmpdir(), `tongxing-${name}-`));
	dirs.push(d);
	return d;
}

/** A venue, a scanner with `n` chained scans, a status list with revocations, staff audit rows, and key files. */
async function seed(options: OpenOptions, dataDir: string, n: number) {
	mkdirSync(join(dataDir, 'keys'), { recursive: true });
	writeFileSync(join(dataDir, 'keys', 'hmac.key'), randomBytes(32).toString('base64url') + '\n');
	writeFileSync(join(dataDir, 'keys', 'root.json'), JSON.stringify({ seed: randomBytes(32).toString('base64url') }));
	mkdirSync(join(dataDir, 'public'), { recursive: true });
	writeFileSync(join(dataDir, 'public', 'trust-list.cose'), randomBytes(200));
	const o = await openDatabase(options);
	const now = Date.now();
	const key = randomBytes(32);
	const venue = await addVenue(o.db, { name: '南山图书馆', region: '440305', policy: 'green-only', nowMs: now });
	const { token } = await enrolGuard(o.db, key, venue, now);
	const device = await guardForToken(o.db, key, token);
	if (!device || device === 'revoked') throw new Error('no device');
	let prev: ScanEvent | null = null;
	const batch = (count: number): ScanEvent[] =>
		Array.from({ length: count }, () => {
			const i = (prev?.seq ?? 0) + 1;
			prev = chainScanEvent(prev, {
				eventId: `e-${i}-${randomBytes(4).toString('hex')}`,
				deviceId: device.id,
				venueId: device.venue_id,
				scannedAt: now - 60_000 + i,
				codeId: 'AAAAAAAAAAAAAAAA',
				verdict: 'valid',
				reason: 'ok'
			});
			return prev;
		});
	await ingestScans(o.db, device, batch(n), now);
	await appendToStatusList(o.db, '440300', ['code-a', 'code-b', 'code-c'], now);
	for (let i = 0; i < 5; i++)
		await insertStaffAudit(o.db, {
			at: now + i,
			actor: 'cli:test',
			action: 'person.lookup',
			person_hash: null,
			target: `t${i}`,
			purpose: 'drill',
			detail_json: null
		});
	/** more scans from the same device, as traffic during the backup */
	const more = async () => (await ingestScans(o.db, device, batch(20), Date.now())).acks.length;
	return { o, more };
}

async function roundTrip(engine: 'sqlite' | 'postgres') {
	const live = tmp('live');
	const schema = engine === 'postgres' ? `bk_${randomBytes(5).toString('hex')}` : undefined;
	if (schema) schemas.push(schema);
	const options: OpenOptions = schema ? { dataDir: live, databaseUrl: PG!, pgSchema: schema } : { dataDir: live };
	const { o, more } = await seed(options, live, 300);
	const out = join(tmp('backup'), 'b1');
	const keysFile = join(tmp('keys-medium'), 'k.txkeys');

	// scans keep arriving while the backup runs
	let writing = true;
	let written = 0;
	const traffic = (async () => {
		while (writing) {
			written += await more();
			// better-sqlite3 answers synchronously: without a turn of the event loop the backup's steps never run
			await new Promise((r) => setTimeout(r, 5));
		}
	})();
	const backup = await backupDataDir({
		dataDir: live,
		...(schema ? { databaseUrl: PG!, pgSchema: schema } : {}),
		outDir: out,
		keysFile,
		passphrase: PASS,
		nowMs: Date.now()
	});
	writing = false;
	await traffic;
	await o.close();
	expect(backup.database.engine).toBe(engine);
	expect(backup.keys?.files).toEqual(['hmac.key', 'root.json']);
	expect(backup.keys?.file).toBe(keysFile); // kept apart from the folder
	expect(readFileSync(keysFile).includes(readFileSync(join(live, 'keys', 'hmac.key')))).toBe(false); // encrypted
	const chain = Object.values(backup.database.manifest.scanChains);
	expect(chain).toHaveLength(1);
	expect(chain[0]!.events).toBeGreaterThanOrEqual(300);
	expect(chain[0]).toMatchObject({ broken: 0, seq: chain[0]!.events, lastSeq: chain[0]!.events });
	expect(backup.database.manifest.statusLists['440300']).toMatchObject({ entries: 3 });
	expect(backup.database.manifest.audits.staff_audit?.rows).toBe(5);

	if (schema) {
		// the "fresh machine": the schema is gone, then exists again empty — as `public` does in every new database,
		// and the dump's CREATE SCHEMA must not stop the restore
		await dropPostgresSchema(PG!, schema);
		const created = spawnSync('psql', [PG!, '-qc', `create schema ${schema}`], { encoding: 'utf8' });
		expect(created.status, created.stderr).toBe(0);
	}
	const fresh = join(tmp('fresh'), 'data');
	// a wrong passphrase writes nothing
	await expect(
		restoreDataDir({ backupDir: out, dataDir: fresh, ...(schema ? { databaseUrl: PG! } : {}), passphrase: 'not the passphrase' })
	).rejects.toThrow(KeyArchiveError);
	expect(existsSync(join(fresh, 'tongxing.sqlite'))).toBe(false);

	const r = await restoreDataDir({ backupDir: out, dataDir: fresh, ...(schema ? { databaseUrl: PG! } : {}), passphrase: PASS });
	expect(r.differences).toEqual([]);
	expect(r.restored.counts.scan_events).toBe(chain[0]!.events);
	expect(r.keyFiles).toEqual(['hmac.key', 'root.json']);
	for (const f of ['keys/hmac.key', 'keys/root.json', 'public/trust-list.cose'])
		expect(readFileSync(join(fresh, f))).toEqual(readFileSync(join(live, f)));

	// a second restore into the same place is refused (not fresh)
	await expect(
		restoreDataDir({ backupDir: out, dataDir: fresh, ...(schema ? { databaseUrl: PG! } : {}), passphrase: PASS })
	).rejects.toThrow(/not empty|exists|already/);

	// a scan altered after the fact is found: its hash no longer matches
	const restored = await openDatabase(schema ? { databaseUrl: PG!, pgSchema: schema } : { dataDir: fresh });
	try {
		await restored.db.updateTable('scan_events').set({ verdict: 'invalid' }).where('seq', '=', 7).execute();
		const diffs = compareManifests(backup.database.manifest, await databaseManifest(restored.db));
		expect(diffs.join('\n')).toMatch(/1 events do not hash or link/);
	} finally {
		await restored.close();
	}
	return written;
}

describe('backup and restore', () => {
	it('SQLite: online backup during traffic, restore into a fresh DATA_DIR, manifest identical', async () => {
		await roundTrip('sqlite');
	}, 60_000);

	it.skipIf(!PG)(
		'PostgreSQL: pg_dump of a snapshot during traffic, pg_restore, manifest identical',
		async () => {
			await roundTrip('postgres');
		},
		120_000
	);

	it('refuses a backup without a passphrase for the keys, and a non-empty target folder', async () => {
		const live = tmp('live');
		const { o } = await seed({ dataDir: live }, live, 3);
		await o.close();
		const out = join(tmp('backup'), 'b');
		await expect(backupDataDir({ dataDir: live, outDir: out, nowMs: Date.now() })).rejects.toThrow(/passphrase/);
		await expect(backupDataDir({ dataDir: live, outDir: out, passphrase: 'short', nowMs: Date.now() })).rejects.toThrow(/at least 12/);
		expect(existsSync(out)).toBe(false); // refused before anything was written
		const b = await backupDataDir({ dataDir: live, outDir: out, noKeys: true, nowMs: Date.now() });
		expect(b.keys).toBeNull();
		await expect(backupDataDir({ dataDir: live, outDir: out, noKeys: true, nowMs: Date.now() })).rejects.toThrow(/not empty/);
	}, 60_000);

	it('pg_restore --list: only the schema itself and its comment are left out of a restore into an existing schema', () => {
		expect(isSchemaEntry('4; 2615 2200 SCHEMA - public pg_database_owner', 'public')).toBe(true);
		expect(isSchemaEntry('3555; 0 0 COMMENT - SCHEMA public pg_database_owner', 'public')).toBe(true);
		expect(isSchemaEntry('215; 1259 16390 TABLE public accounts tongxing', 'public')).toBe(false);
		expect(isSchemaEntry('5; 2615 16385 SCHEMA - public2 tongxing', 'public')).toBe(false);
		expect(isSchemaEntry('; Archive created at 2026-12-07', 'public')).toBe(false);
	});
});
