/**
 * The storage contract: one suite, run against every engine. SQLite always (a fresh temp folder per test);
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh schema per test, dropped afterwards, so runs are isolated
 * from each other and from the app's tables). In CI (CI=true) a missing TEST_DATABASE_URL is a failure, not a
 * skip: .ci/run starts PostgreSQL and sets it.
 *
 *   TEST_DATABASE_URL=postgres://tongxing:tongxing@127.0.0.1:5432/tongxing npx vitest run src/lib/server/store
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseBusy, isForeignKeyViolation, isUniqueViolation, isUnstorableText } from './errors';
import { MIGRATIONS, migrateToLatest } from './migrate';
import { closeDatabase, getDatabase, inTransaction, openDatabase, type OpenDatabase, type OpenOptions } from './open';
import { insertProposalEvent, proposalEvents } from './proposals';
import { hit, purgeRateLimits, windowCount } from './rate-limit';
import { insertCodes, liveCodesOfPeople } from './codes';
import { bumpCodesVersionOfCodes, bumpCodesVersionOfPeople, codesVersion } from './codes-version';
import { insertColourEvent, latestColourEvent } from './colour-events';
import { insertDeclaration } from './declarations';
import { addOtpAttempt, consumeOtpChallenge, insertOtpChallenge, otpChallenge } from './otp';
import { peopleWithLatestDeclaration } from './people';
import { coloursOf, dueForReview, setReviewTimes, writeColours } from './resident-colours';
import { endSessionsOfSubject, insertSession, residentAccountOfSession, sessionByTokenHmac } from './sessions';
import { appendToStatusList, STATUS_ENTRY_GRACE_MS, statusListEntries, statusListSeq } from './status-list';
import { DAY_MS, purgeExpired } from './retention';
import { TABLES, type Database } from './schema';
import { idNumberReadsOf, recordIdNumberReads, residentColourPage, residentColoursOfRefs } from './colour-listing';
import { insertStaffAudit, staffAuditPage } from './staff-audit';
import { BulkInserter } from './bulk';
import { residentsInArea } from '../recolour/affected';
import { loadPersonFacts } from '../recolour/load-facts';
import { upsertCases, upsertCellSites, upsertContacts, upsertQuarantineOrders, upsertTests } from './facts-import';
import { insertGuardDevice, listGuardDevices, revokeGuardDevice } from './guard-devices';
import { insertPhoneIfAbsent, insertRegisterIfAbsent, upsertPhones, upsertRegister } from './register';
import {
	attachScanRegistrations,
	deviceScanEvents,
	insertScanEvents,
	raiseScanWatermark,
	scanEventsAbove,
	scanEventsByIds,
	scanWatermark
} from './scans';
import { insertVenue, insertVenueIfAbsent, updateVenue, venuesWithGuardCounts } from './venues';
import { insertStaff, listStaffRows, setStaffRole } from './staff';
import { gridOf } from '../geo/grid';
import { accountForPhone, phoneOfAccount, sealLegacyPhones } from '../issuer/accounts';
import { keyedHash } from '../secrets';
import { postgresFixture, sqliteFixture, type EngineFixture } from './engine-fixtures';

const PG_URL = process.env.TEST_DATABASE_URL || undefined;
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

const MIGRATION_NAMES = Object.keys(MIGRATIONS).sort();

/** 2026-01-01T00:00:00.123Z: a realistic ms timestamp, well above 2^32. */
const T0 = 1_767_225_600_123;

const fixtures: EngineFixture[] = [sqliteFixture('db'), ...(PG_URL ? [postgresFixture(PG_URL, 'test')] : [])];

if (!PG_URL) {
	if (IN_CI) {
		describe('storage contract: postgres', () => {
			it('needs TEST_DATABASE_URL in CI', () => {
				expect.fail(
					'CI=true but TEST_DATABASE_URL is not set: the PostgreSQL half of the storage contract must run in CI (.ci/run sets it)'
				);
			});
		});
	} else {
		describe.skip('storage contract: postgres — SKIPPED, set TEST_DATABASE_URL=postgres://user:password@host:5432/db to run it', () => {
			it('runs the same contract on PostgreSQL', () => {});
		});
	}
}

/** A live green phone code row for the repository cases. */
function codeRow(code_id: string, person_id: string, exp = T0 + DAY_MS) {
	return {
		code_id,
		person_id,
		kid: 'k',
		iat: T0,
		exp,
		colour: 'green',
		reasons_json: '[]',
		kind: 'phone',
		holder_key: null,
		credential: 'c',
		status: 'live' as const,
		created_at: T0,
		revoked_at: null
	};
}

async function addPerson(db: Kysely<Database>, n: number): Promise<string> {
	await db
		.insertInto('accounts')
		.values({ id: `acc-${n}`, phone_hmac: `phone-hmac-${n}`, phone_enc: `v1.nonce.sealed-${n}`, created_at: T0 })
		.execute();
	await db
		.insertInto('people')
		.values({
			id: `person-${n}`,
			account_id: `acc-${n}`,
			id_hmac: `hmac-${n}`,
			id_masked: '4403**********123X',
			id_suffix: '123X',
			name_masked: '张*丰',
			region: '440300',
			relation: 'self',
			consent_evidence: null,
			created_at: T0
		})
		.execute();
	return `person-${n}`;
}

async function catchError(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (e) {
		return e;
	}
	throw new Error('expected a rejection');
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const fixture of fixtures) {
	// generous timeouts: CI machines are small and run the test files in parallel
	describe(`storage contract: ${fixture.engine}`, { timeout: 30_000 }, () => {
		const opened: OpenDatabase[] = [];
		/** Opens (and migrates) a database, closed after the test. */
		async function open(options: OpenOptions): Promise<OpenDatabase> {
			const handle = await openDatabase(options);
			opened.push(handle);
			return handle;
		}

		afterEach(async () => {
			await Promise.all(opened.splice(0).map((h) => h.close()));
			await fixture.cleanup();
		});

		it('opens the right engine with every table, and migrating again is a no-op', async () => {
			const options = fixture.fresh();
			const first = await open(options);
			expect(first.engine).toBe(fixture.engine);
			// PostgreSQL introspection lists every schema (other runs' too): keep ours
			const schema = fixture.schemaOf(options);
			const tables = (await first.db.introspection.getTables())
				.filter((t) => schema === undefined || t.schema === schema)
				.map((t) => t.name);
			expect([...tables].sort()).toEqual([...TABLES].sort());
			await first.db.insertInto('meta').values({ key: 'k', value: 'v' }).execute();
			await first.close();

			const second = await open(options);
			expect(await migrateToLatest(second.db, fixture.schemaOf(options))).toEqual([]);
			const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(second.db);
			expect(applied.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
			expect(await second.db.selectFrom('meta').select('value').where('key', '=', 'k').executeTakeFirst()).toEqual({
				value: 'v'
			});
		});

		it('unique and primary-key clashes raise errors isUniqueViolation recognises; foreign keys are enforced', async () => {
			const { db } = await open(fixture.fresh());
			await addPerson(db, 1);
			const dupPhone = await catchError(
				db.insertInto('accounts').values({ id: 'acc-other', phone_hmac: 'phone-hmac-1', phone_enc: null, created_at: T0 }).execute()
			);
			expect(isUniqueViolation(dupPhone)).toBe(true);
			const dupKey = await catchError(
				db.insertInto('accounts').values({ id: 'acc-1', phone_hmac: 'phone-hmac-9', created_at: T0 }).execute()
			);
			expect(isUniqueViolation(dupKey)).toBe(true);
			await db.insertInto('venues').values({ id: 'v1', name: '市民中心', region: '440300', policy_json: '{}', created_at: T0 }).execute();
			await db.insertInto('guard_devices').values({ id: 'd1', venue_id: 'v1', token_hmac: 't1', created_at: T0 }).execute();
			const scan = (eventId: string) => ({
				event_id: eventId,
				device_id: 'd1',
				seq: 1,
				prev_hash: 'p',
				hash: 'h',
				code_id: null,
				verdict: 'valid',
				reason: 'ok',
				scanned_at: T0,
				received_at: T0,
				venue_id: 'v1'
			});
			await db.insertInto('scan_events').values(scan('e1')).execute();
			expect(isUniqueViolation(await catchError(db.insertInto('scan_events').values(scan('e2')).execute()))).toBe(true);

			const orphan = await catchError(
				db
					.insertInto('people')
					.values({
						id: 'p-orphan',
						account_id: 'no-such-account',
						id_hmac: 'x',
						id_masked: 'x',
						id_suffix: 'x',
						name_masked: 'x',
						region: '440300',
						relation: 'proxy',
						consent_evidence: 'signed form',
						created_at: T0
					})
					.execute()
			);
			expect(isForeignKeyViolation(orphan)).toBe(true);
			expect(isUniqueViolation(orphan)).toBe(false);
			expect(isUniqueViolation(new Error('unique'))).toBe(false);
			expect(isUniqueViolation(null)).toBe(false);
		});

		it('U+0000 in text: SQLite stores it, PostgreSQL refuses it with an error isUnstorableText recognises (http/respond.ts: 400)', async () => {
			const { db } = await open(fixture.fresh());
			const write = db.insertInto('meta').values({ key: 'nul', value: 'a\u0000b' }).execute();
			if (fixture.engine === 'sqlite') {
				await write;
				expect(await db.selectFrom('meta').select('value').where('key', '=', 'nul').executeTakeFirst()).toEqual({ value: 'a\u0000b' });
			} else {
				const e = await catchError(write);
				expect(isUnstorableText(e)).toBe(true);
				expect(isDatabaseBusy(e)).toBe(false);
			}
			expect(isUnstorableText(new Error('22021'))).toBe(false);
		});

		it('JSON stored as text comes back byte for byte', async () => {
			const { db } = await open(fixture.fresh());
			const person = await addPerson(db, 1);
			const data = {
				symptoms: ['发热', 'cough'],
				temperatureC: 37.8,
				travel: [{ region: '440300', from: T0, to: null }],
				note: 'emoji 😷, quote " backslash \\ nul-free',
				nested: { deep: { list: [1, 2.5, -3, true, false, null] } }
			};
			const text = JSON.stringify(data);
			await db
				.insertInto('declarations')
				.values({
					id: 'd1',
					person_id: person,
					submitted_at: T0,
					data_json: text,
					status: 'pending',
					status_reason: null,
					checked_at: null
				})
				.execute();
			const row = await db.selectFrom('declarations').selectAll().where('id', '=', 'd1').executeTakeFirstOrThrow();
			expect(row.data_json).toBe(text);
			expect(JSON.parse(row.data_json)).toEqual(data);
			expect(row.status_reason).toBeNull();
		});

		it('ms times, identity ids and counts are JS numbers; doubles and nulls round-trip', async () => {
			const { db } = await open(fixture.fresh());
			const person = await addPerson(db, 1);
			const event = (at: number) => ({
				person_id: person,
				at,
				colour: 'yellow',
				reasons_json: '["fever-declared"]',
				rule_version: 'r1',
				facts_json: '{}',
				actor: 'system'
			});
			const a = await db.insertInto('colour_events').values(event(T0)).returning('id').executeTakeFirstOrThrow();
			const b = await db
				.insertInto('colour_events')
				.values(event(T0 + 1))
				.returning('id')
				.executeTakeFirstOrThrow();
			expect(typeof a.id).toBe('number');
			expect(b.id).toBeGreaterThan(a.id);

			const rows = await db.selectFrom('colour_events').select(['id', 'at']).orderBy('id').execute();
			expect(rows.map((r) => r.at)).toEqual([T0, T0 + 1]);
			for (const r of rows) expect(typeof r.at).toBe('number');

			const far = 8_640_000_000_000_000; // the largest Date, still a safe integer
			await db
				.insertInto('trajectory_points')
				.values([
					{ phone_hmac: 'ph', at: far, lat: 22.543096123456, lon: 114.057865987654, cell: null, accuracy_m: 12.5 },
					{ phone_hmac: 'ph', at: T0, lat: null, lon: null, cell: '460-00-9522-1234', accuracy_m: null }
				])
				.execute();
			const points = await db.selectFrom('trajectory_points').selectAll().orderBy('at', 'desc').execute();
			expect(points.map((p) => [p.at, p.lat, p.lon, p.cell, p.accuracy_m])).toEqual([
				[far, 22.543096123456, 114.057865987654, null, 12.5],
				[T0, null, null, '460-00-9522-1234', null]
			]);
			expect(typeof points[0]?.id).toBe('number');

			const { n } = await db
				.selectFrom('trajectory_points')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(n).toBe(2);
			expect(typeof n).toBe('number');

			const otp = await db
				.insertInto('otp_challenges')
				.values({ id: 'o1', phone_hmac: 'ph', code_hmac: 'c', expires_at: T0, used_at: null, created_at: T0, client_ip: '203.0.113.7' })
				.returning('attempts')
				.executeTakeFirstOrThrow();
			expect(otp.attempts).toBe(0);

			if (fixture.engine === 'postgres') {
				// beyond 2^53 the INT8 parser refuses rather than rounds
				await expect(sql`select 9007199254740993::bigint as n`.execute(db)).rejects.toThrow(RangeError);
				// the parser belongs to our pool: pg's global registry still gives strings
				expect((pg.types.getTypeParser(20) as (text: string) => unknown)('5')).toBe('5');
			}
		});

		it('inTransaction commits on success, rolls back on throw, and nested calls join the outer transaction', async () => {
			const { db } = await open(fixture.fresh());
			const value = (key: string) => db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();

			const result = await inTransaction(db, async (trx) => {
				await trx.insertInto('meta').values({ key: 'committed', value: '1' }).execute();
				return 42;
			});
			expect(result).toBe(42);
			expect(await value('committed')).toEqual({ value: '1' });

			const boom = new Error('boom');
			await expect(
				inTransaction(db, async (trx) => {
					await trx.insertInto('meta').values({ key: 'rolled-back', value: '1' }).execute();
					await trx.updateTable('meta').set({ value: '2' }).where('key', '=', 'committed').execute();
					throw boom;
				})
			).rejects.toBe(boom);
			expect(await value('rolled-back')).toBeUndefined();
			expect(await value('committed')).toEqual({ value: '1' });

			await expect(
				inTransaction(db, async (outer) => {
					await outer.insertInto('meta').values({ key: 'outer', value: '1' }).execute();
					await inTransaction(outer, async (inner) => {
						await inner.insertInto('meta').values({ key: 'inner', value: '1' }).execute();
						throw boom;
					});
				})
			).rejects.toBe(boom);
			expect(await value('outer')).toBeUndefined();
			expect(await value('inner')).toBeUndefined();

			// a failing statement inside also rolls back (here: a unique violation)
			const dup = await catchError(
				inTransaction(db, async (trx) => {
					await trx.insertInto('meta').values({ key: 'before-dup', value: '1' }).execute();
					await trx.insertInto('meta').values({ key: 'committed', value: 'dup' }).execute();
				})
			);
			expect(isUniqueViolation(dup)).toBe(true);
			expect(await value('before-dup')).toBeUndefined();
		});

		it('rate-limit hit is atomic: 50 concurrent hits count 1…50 exactly', async () => {
			const { db } = await open(fixture.fresh());
			const window = 60_000;
			const now = T0 - (T0 % window) + 1_000; // 1 s into a window
			const results = await Promise.all(range(1, 50).map(() => hit(db, 'otp:ip:203.0.113.7', window, 5, now)));
			expect(sorted(results.map((r) => r.count))).toEqual(range(1, 50));
			for (const r of results) {
				expect(r.allowed).toBe(r.count <= 5);
				expect(r.retryAfterMs).toBe(r.allowed ? 0 : window - 1_000);
			}
			const row = await db.selectFrom('rate_limits').selectAll().executeTakeFirstOrThrow();
			expect(row).toEqual({ bucket: 'otp:ip:203.0.113.7', window_start: now - 1_000, count: 50 });

			// the next window starts again at 1; another bucket is independent
			expect(await hit(db, 'otp:ip:203.0.113.7', window, 5, now + window)).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
			expect((await hit(db, 'otp:ip:198.51.100.1', window, 5, now)).count).toBe(1);

			expect(await purgeRateLimits(db, now - 1_000 + window)).toBe(2);
			expect((await db.selectFrom('rate_limits').select('window_start').execute()).map((r) => r.window_start)).toEqual([
				now - 1_000 + window
			]);
		});

		it('two app instances on the same storage share migrations and counters', async () => {
			const options = fixture.fresh();
			const a = await open(options);
			const b = await open(options);
			const results = await Promise.all(range(1, 50).map((i) => hit(i % 2 ? a.db : b.db, 'login:user:admin', 60_000, 10, T0)));
			expect(sorted(results.map((r) => r.count))).toEqual(range(1, 50));
			await a.db
				.insertInto('sessions')
				.values({
					token_hmac: 'tok',
					account_id: null,
					role: 'staff',
					subject: 'staff-1',
					created_at: T0,
					expires_at: T0 + DAY_MS,
					last_seen_at: T0
				})
				.execute();
			expect(await b.db.selectFrom('sessions').select('subject').executeTakeFirst()).toEqual({ subject: 'staff-1' });
		});

		if (fixture.engine === 'postgres') {
			it('several instances starting at once migrate once (advisory lock)', async () => {
				const options = fixture.fresh();
				const handles = await Promise.all(range(1, 4).map(() => open(options)));
				const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(handles[0]!.db);
				expect(applied.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
			});
		}

		if (fixture.engine === 'sqlite') {
			it('getDatabase() opens DATA_DIR once per process; closeDatabase() lets the next call reopen', async () => {
				const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
				const { dataDir } = fixture.fresh();
				process.env.DATA_DIR = dataDir;
				delete process.env.DATABASE_URL;
				try {
					const first = await getDatabase();
					expect(await getDatabase()).toBe(first);
					expect(first.engine).toBe('sqlite');
					expect(existsSync(join(dataDir!, 'tongxing.sqlite'))).toBe(true);
					await hit(first.db, 'b', 1000, 1, T0);
					await closeDatabase();
					const second = await getDatabase();
					expect(second).not.toBe(first);
					expect((await hit(second.db, 'b', 1000, 1, T0)).count).toBe(2);
					await closeDatabase();
				} finally {
					for (const [key, value] of Object.entries(saved)) {
						if (value === undefined) delete process.env[key];
						else process.env[key] = value;
					}
				}
			});

			it('separate processes on one SQLite file: concurrent first start, atomic hits, no lost updates', async () => {
				const { dataDir } = fixture.fresh();
				const barrier = mkdtempSync(join(tmpdir(), 'tongxing-barrier-'));
				const processes = 2; // "test it with two instances" (each child is a full Node + tsx start: slow on small CI machines)
				const hits = 40;
				const increments = 15;
				try {
					// every child loads, then waits at the barrier, so all open the (not yet created) database together
					const children = range(1, processes).map(() => runChild({ dataDir: dataDir!, barrier, hits, increments }));
					await releaseBarrier(barrier, processes, Promise.all(children));
					const counts = (await Promise.all(children)).flatMap((o) => o.counts);
					expect(sorted(counts)).toEqual(range(1, processes * hits));
				} finally {
					rmSync(barrier, { recursive: true, force: true });
				}

				const check = await open({ dataDir: dataDir! });
				const counter = await check.db.selectFrom('meta').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow();
				expect(Number(counter.value)).toBe(processes * increments);
				const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(check.db);
				expect(applied.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
			}, 60_000);
		}

		it('facts (migration 004): bulk multi-row inserts, upserts from excluded, the (grid, at) range scan', async () => {
			const { db } = await open(fixture.fresh());
			const points = new BulkInserter(db, 'trajectory_points', ['phone_hmac', 'at', 'lat', 'lon', 'cell', 'accuracy_m', 'grid']);
			// 12 000 rows: more than one statement's worth (30 000 parameters / 7 columns)
			for (let i = 0; i < 12_000; i++)
				await points.add(db, [
					`ph${i % 100}`,
					T0 + i * 1000,
					22.505 + (i % 10) * 0.01,
					114.055,
					null,
					20,
					gridOf(22.505 + (i % 10) * 0.01, 114.055)
				]);
			await points.flush(db);
			expect(points.count).toBe(12_000);
			const cell = gridOf(22.535, 114.055);
			const hits = await db
				.selectFrom('trajectory_points')
				.select('phone_hmac')
				.where('grid', 'in', [cell])
				.where('at', '>=', T0)
				.where('at', '<', T0 + 100_000)
				.distinct()
				.execute();
			// i in [0, 100) with i % 10 === 3 → phones ph3, ph13, …, ph93
			expect(hits.map((h) => h.phone_hmac).sort()).toEqual(
				range(0, 9)
					.map((k) => `ph${k * 10 + 3}`)
					.sort()
			);
			const tests = new BulkInserter(
				db,
				'health_tests',
				['id', 'ref', 'sampled_at', 'result', 'received_at'],
				'on conflict (id) do update set result = excluded.result'
			);
			await tests.add(db, ['t1', 'r1', T0, 'negative', T0]);
			await tests.flush(db);
			await tests.add(db, ['t1', 'r1', T0, 'positive', T0 + 1]);
			await tests.flush(db);
			expect(await db.selectFrom('health_tests').select(['id', 'result', 'received_at']).execute()).toEqual([
				{ id: 't1', result: 'positive', received_at: T0 }
			]);
			await db
				.insertInto('resident_colour_events')
				.values({
					ref: 'r1',
					at: T0,
					colour: 'red',
					previous_colour: null,
					reasons_json: '["positive-test"]',
					rule_version: 'v',
					facts_json: '[]',
					actor: 'x'
				})
				.execute();
			const ev = await db.selectFrom('resident_colour_events').selectAll().executeTakeFirstOrThrow();
			expect(typeof ev.id).toBe('number');
			await db.insertInto('rule_sets').values({ version: 'v1', rules_json: '{}', saved_at: T0, saved_by: 'staff/a', active: 1 }).execute();
			expect(
				isUniqueViolation(
					await catchError(
						db.insertInto('rule_sets').values({ version: 'v1', rules_json: '{}', saved_at: T0, saved_by: 'staff/b' }).execute()
					)
				)
			).toBe(true);
		});

		it('review times (migration 005): nullable ms, due rows by an index range scan, NULL never due', async () => {
			const { db } = await open(fixture.fresh());
			const row = (ref: string, review_at: number | null) => ({
				ref,
				colour: 'red',
				reasons_json: '[]',
				rule_version: 'v',
				updated_at: T0,
				review_at
			});
			await db
				.insertInto('resident_colours')
				.values([row('a', T0 + 1), row('b', null), row('c', T0 - 5), row('d', T0)])
				.execute();
			await db
				.insertInto('resident_colours')
				.values({ ref: 'e', colour: 'green', reasons_json: '[]', rule_version: 'v', updated_at: T0 })
				.execute();
			const due = await db
				.selectFrom('resident_colours')
				.select(['ref', 'review_at'])
				.where('review_at', '<=', T0)
				.orderBy('review_at')
				.orderBy('ref')
				.execute();
			expect(due).toEqual([
				{ ref: 'c', review_at: T0 - 5 },
				{ ref: 'd', review_at: T0 }
			]);
			await db.updateTable('resident_colours').set({ review_at: null }).where('ref', 'in', ['c', 'd']).execute();
			expect(
				await db
					.selectFrom('resident_colours')
					.select('ref')
					.where('review_at', '<=', T0 + 1)
					.execute()
			).toEqual([{ ref: 'a' }]);
		});

		it('migration 012 on existing people: id_hmac no longer unique (one live self per person), members before it listed as declared links', async () => {
			const options = fixture.fresh();
			const first = await open(options);
			const schema = fixture.schemaOf(options);
			const migrator = new Migrator({
				db: first.db,
				provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
				...(schema === undefined ? {} : { migrationTableSchema: schema })
			});
			expect((await migrator.migrateTo('010-append-only-audit')).error).toBeUndefined();
			const person = (id: string, account: string, relation: string) =>
				sql`insert into people (id, account_id, id_hmac, id_masked, id_suffix, name_masked, region, relation, consent_evidence, created_at)
					values (${id}, ${account}, 'h-x', '1***2', '2', '王*', '440306', ${relation}, ${relation === 'proxy' ? '{"method":"in-person"}' : null}, ${T0})`;
			for (const a of ['a1', 'a2'])
				await sql`insert into accounts (id, phone, created_at) values (${a}, ${`1380013800${a.at(-1)}`}, ${T0})`.execute(first.db);
			await person('p-proxy', 'a1', 'proxy').execute(first.db);
			await sql`insert into declarations (id, person_id, submitted_at, data_json, status) values ('d1', 'p-proxy', ${T0}, '{}', 'verified')`.execute(
				first.db
			);
			await first.close();
			// reopened: open.ts migrates the rest (SQLite: with foreign keys off for the table rebuild, checked after)
			const { db } = await open(options);
			await person('p-self', 'a2', 'self').execute(db); // refused before 012: the same id_hmac
			expect(await db.selectFrom('declarations').select('person_id').execute()).toEqual([{ person_id: 'p-proxy' }]);
			expect(isUniqueViolation(await catchError(person('p-self-2', 'a1', 'self').execute(db)))).toBe(true); // one live self
			expect(isUniqueViolation(await catchError(person('p-proxy-2', 'a1', 'proxy').execute(db)))).toBe(true); // one live row per account
			expect(
				isForeignKeyViolation(
					await catchError(
						sql`insert into declarations (id, person_id, submitted_at, data_json, status) values ('d2', 'nobody', ${T0}, '{}', 'verified')`.execute(
							db
						)
					)
				)
			).toBe(true);
			expect(
				await db.selectFrom('member_links').select(['id', 'account_id', 'status', 'method', 'person_id', 'evidence']).execute()
			).toEqual([
				{
					id: 'legacy-p-proxy',
					account_id: 'a1',
					status: 'confirmed',
					method: 'declared',
					person_id: 'p-proxy',
					evidence: '{"method":"in-person"}'
				}
			]);
			// the link's audit is append-only
			await db
				.insertInto('member_link_events')
				.values({ link_id: 'legacy-p-proxy', at: T0, actor: 'test', action: 'test', note: null })
				.execute();
			expect(await catchError(db.updateTable('member_link_events').set({ note: 'x' }).execute())).toBeInstanceOf(Error);
			expect(await catchError(db.deleteFrom('member_link_events').execute())).toBeInstanceOf(Error);
			expect(await db.selectFrom('member_link_events').select('action').execute()).toEqual([{ action: 'test' }]);
		});

		it('migration 005 on existing colours: red and yellow due at once, green not; down and up again', async () => {
			const options = fixture.fresh();
			const { db } = await open(options);
			const schema = fixture.schemaOf(options);
			const migrator = new Migrator({
				db,
				provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
				...(schema === undefined ? {} : { migrationTableSchema: schema })
			});
			const down = await migrator.migrateTo('004-facts');
			expect(down.error).toBeUndefined();
			for (const [ref, colour] of [
				['r', 'red'],
				['y', 'yellow'],
				['g', 'green']
			]) {
				await sql`insert into resident_colours (ref, colour, reasons_json, rule_version, updated_at) values (${ref}, ${colour}, '[]', 'v', ${T0})`.execute(
					db
				);
			}
			expect(await migrateToLatest(db, schema)).toEqual(MIGRATION_NAMES.filter((n) => n > '004-facts'));
			expect(await db.selectFrom('resident_colours').select(['ref', 'review_at']).orderBy('ref').execute()).toEqual([
				{ ref: 'g', review_at: null },
				{ ref: 'r', review_at: 0 },
				{ ref: 'y', review_at: 0 }
			]);
		});

		it('accounts keep no clear phone (migration 013): find-or-create by HMAC, sealed phone read back; legacy rows sealed at start-up', async () => {
			const options = fixture.fresh();
			const { db } = await open(options);
			const schema = fixture.schemaOf(options);
			const migrator = new Migrator({
				db,
				provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
				...(schema === undefined ? {} : { migrationTableSchema: schema })
			});
			expect((await migrator.migrateTo('010-append-only-audit')).error).toBeUndefined();
			// an account written before 013, phone in clear
			await sql`insert into accounts (id, phone, created_at) values ('old', '13700137000', ${T0})`.execute(db);
			expect(await migrateToLatest(db, schema)).toEqual(MIGRATION_NAMES.filter((n) => n > '010-append-only-audit'));
			const keys = { db, hmacKey: new Uint8Array(32).fill(1), phoneKey: new Uint8Array(32).fill(2) };
			expect(await sealLegacyPhones(keys)).toBe(1);
			expect(await sealLegacyPhones(keys)).toBe(0); // idempotent
			const old = await db.selectFrom('accounts').select(['phone_hmac', 'phone_enc']).where('id', '=', 'old').executeTakeFirstOrThrow();
			expect(old.phone_hmac).toBe(keyedHash(keys.hmacKey, 'phone', '13700137000'));
			expect(old.phone_enc).toMatch(/^v1\./);
			expect(await phoneOfAccount(keys, 'old')).toBe('13700137000');
			// sign-in finds the converted account by its phone, and creates new ones sealed
			expect(await accountForPhone(keys, '13700137000', T0)).toBe('old');
			const fresh = await accountForPhone(keys, '13800138000', T0);
			expect(fresh).not.toBe('old');
			expect(await accountForPhone(keys, '13800138000', T0 + 1)).toBe(fresh);
			expect(await phoneOfAccount(keys, fresh)).toBe('13800138000');
			const all = await db.selectFrom('accounts').selectAll().execute();
			expect(JSON.stringify(all)).not.toMatch(/13[78]0013[78]000/);
			// a duplicate phone HMAC is refused by the database
			expect(
				isUniqueViolation(
					await catchError(db.insertInto('accounts').values({ id: 'dup', phone_hmac: old.phone_hmac, created_at: T0 }).execute())
				)
			).toBe(true);
			expect((await migrator.migrateTo('010-append-only-audit')).error).toBeUndefined();
			expect((await migrator.migrateToLatest()).error).toBeUndefined();
		});

		it('risk-area candidates and trajectory loading (migration 006): box filter on the index, points in (at, id) order', async () => {
			const { db } = await open(fixture.fresh());
			const w = new BulkInserter(db, 'trajectory_points', ['phone_hmac', 'at', 'lat', 'lon', 'cell', 'accuracy_m', 'grid']);
			// phone "in": inside the box; phone "cell": same grid cell, 100 m east of it; two points at the same instant
			const pts: [string, number, number, number, number | null][] = [
				['in', T0 + 2000, 22.5431234567891, 114.0579876543211, 15],
				['in', T0 + 1000, 22.5432, 114.058, null],
				['in', T0 + 1000, 22.5433, 114.058, 30],
				['cell', T0 + 1000, 22.5432, 114.0595, 15]
			];
			for (const [phone, at, lat, lon, acc] of pts) w.push([phone, at, lat, lon, null, acc, gridOf(lat, lon)]);
			await w.drain(db);
			await w.flush(db);
			expect(gridOf(22.5432, 114.058)).toBe(gridOf(22.5432, 114.0595));
			await db
				.insertInto('phone_registry')
				.values([
					{ phone_hmac: 'in', id_hmac: 'r-in', updated_at: T0 },
					{ phone_hmac: 'cell', id_hmac: 'r-cell', updated_at: T0 }
				])
				.execute();
			const box = { west: 114.0575, south: 22.5428, east: 114.0585, north: 22.5436 };
			const now = T0 + 86_400_000;
			expect([...(await residentsInArea(db, { bbox: box, from: T0, until: null }, now))]).toEqual(['r-in']);
			const facts = await loadPersonFacts(db, ['r-in', 'r-cell', 'r-none'], now);
			const ids = (
				await db.selectFrom('trajectory_points').select(['id', 'phone_hmac']).where('phone_hmac', '=', 'in').orderBy('id').execute()
			).map((r) => `point:${r.id}`);
			expect(facts.get('r-in')!.trajectory).toEqual([
				{ id: ids[1], at: Math.floor((T0 + 1000) / 1000), lat: 22.5432, lon: 114.058, accuracyM: 0 },
				{ id: ids[2], at: Math.floor((T0 + 1000) / 1000), lat: 22.5433, lon: 114.058, accuracyM: 30 },
				{ id: ids[0], at: Math.floor((T0 + 2000) / 1000), lat: 22.5431234567891, lon: 114.0579876543211, accuracyM: 15 }
			]);
			expect(facts.get('r-cell')!.trajectory.map((p) => p.lon)).toEqual([114.0595]);
			expect(facts.get('r-none')!.trajectory).toEqual([]);
		});

		it('cell sites (migration 008): upsert keeps the smallest radius; cell ids reach the facts', async () => {
			const { db } = await open(fixture.fresh());
			const rows = (r: number) => [
				{ cell: 'C1', lat: 22.54, lon: 114.06, accuracyM: r },
				{ cell: null, lat: 22.5, lon: 114, accuracyM: 10 }
			];
			await db.transaction().execute((tx) => upsertCellSites(tx, rows(600)));
			await db.transaction().execute((tx) => upsertCellSites(tx, [...rows(450), ...rows(500)]));
			await db.transaction().execute((tx) => upsertCellSites(tx, rows(700)));
			expect(await db.selectFrom('cell_sites').selectAll().execute()).toEqual([{ cell: 'C1', lat: 22.54, lon: 114.06, radius_m: 450 }]);
			await db
				.insertInto('trajectory_points')
				.values({ phone_hmac: 'ph', at: T0, lat: 22.54, lon: 114.06, cell: 'C1', accuracy_m: 450, grid: gridOf(22.54, 114.06) })
				.execute();
			await db.insertInto('phone_registry').values({ phone_hmac: 'ph', id_hmac: 'r', updated_at: T0 }).execute();
			const facts = await loadPersonFacts(db, ['r'], T0 + 1000);
			expect(facts.get('r')!.trajectory).toEqual([expect.objectContaining({ cell: 'C1', accuracyM: 450 })]);
		});

		it('issuance reads and writes (repositories): latest declaration per person, codes version bumps, session ⋈ account', async () => {
			const { db } = await open(fixture.fresh());
			const [p1, p2] = [await addPerson(db, 1), await addPerson(db, 2)];
			const decl = (id: string, person: string, at: number, status: 'pending' | 'verified') =>
				insertDeclaration(db, { id, person_id: person, submitted_at: at, data_json: '{}', status, status_reason: null, checked_at: null });
			await decl('d1', p1, T0, 'verified');
			await decl('d2', p1, T0 + 1, 'pending');
			const people = await peopleWithLatestDeclaration(db, 'acc-1');
			expect(people.map((p) => [p.id, p.decl_status, Number(p.decl_at)])).toEqual([[p1, 'pending', T0 + 1]]);
			expect((await peopleWithLatestDeclaration(db, 'acc-2')).map((p) => [p.id, p.decl_status, p.decl_at])).toEqual([[p2, null, null]]);

			const code = (code_id: string, person_id: string) => codeRow(code_id, person_id);
			await insertCodes(db, [code('c1', p1), code('c2', p1), code('c3', p2)]);
			// one bump per account however many of its people or codes are named
			await bumpCodesVersionOfPeople(db, [p1, p1]);
			expect([await codesVersion(db, 'acc-1'), await codesVersion(db, 'acc-2')]).toEqual([1, 0]);
			await bumpCodesVersionOfCodes(db, ['c1', 'c2', 'c3']);
			expect([await codesVersion(db, 'acc-1'), await codesVersion(db, 'acc-2')]).toEqual([2, 1]);
			expect((await liveCodesOfPeople(db, [p1, p2], T0)).map((c) => c.code_id)).toEqual(['c1', 'c2', 'c3']);

			const session = (token_hmac: string, role: string, expires_at: number) =>
				insertSession(db, { token_hmac, account_id: 'acc-1', role, subject: 'acc-1', created_at: T0, expires_at, last_seen_at: T0 });
			await session('live', 'resident', T0 + 10);
			await session('staff', 'staff', T0 + 10);
			await session('old', 'resident', T0);
			expect(await residentAccountOfSession(db, 'live', T0)).toEqual({
				id: 'acc-1',
				phone_hmac: 'phone-hmac-1',
				device_key: null,
				codes_version: 2
			});
			expect(await residentAccountOfSession(db, 'staff', T0)).toBeUndefined();
			expect(await residentAccountOfSession(db, 'old', T0)).toBeUndefined();
		});

		it('status list: one sequence per append, each id listed once with the sequence that first revoked it', async () => {
			const { db } = await open(fixture.fresh());
			expect(await statusListSeq(db, '440300')).toBeUndefined();
			expect(await appendToStatusList(db, '440300', ['a', 'b'], T0)).toBe(2);
			expect(await appendToStatusList(db, '440300', ['b', 'c'], T0 + 1)).toBe(3);
			expect(await appendToStatusList(db, '110000', ['z'], T0)).toBe(2);
			expect(await statusListSeq(db, '440300')).toBe(3);
			expect(await statusListEntries(db, '440300', T0)).toEqual(['a', 'b', 'c']);
			expect(await statusListEntries(db, '440300', T0, 2)).toEqual(['c']);
		});

		it('status list: entries keep their code’s exp and leave the list (and the table, on purge) an hour after it', async () => {
			const { db } = await open(fixture.fresh());
			const p = await addPerson(db, 1);
			const code = (code_id: string, exp: number) => codeRow(code_id, p, exp);
			await insertCodes(db, [code('short', T0 + 60_000), code('long', T0 + DAY_MS)]);
			await appendToStatusList(db, '440300', ['short', 'long', 'unknown'], T0);
			expect(await statusListEntries(db, '440300', T0)).toEqual(['long', 'short', 'unknown']);
			// within the hour's grace after its exp the short one stays listed
			expect(await statusListEntries(db, '440300', T0 + 60_000 + STATUS_ENTRY_GRACE_MS)).toEqual(['long', 'short', 'unknown']);
			const later = T0 + 60_001 + STATUS_ENTRY_GRACE_MS;
			expect(await statusListEntries(db, '440300', later)).toEqual(['long', 'unknown']);
			expect(await statusListEntries(db, '440300', later, 1)).toEqual(['long', 'unknown']);
			expect((await purgeExpired(db, later)).statusEntries).toBe(1);
			expect(await statusListEntries(db, '440300', T0)).toEqual(['long', 'unknown']);
		});

		it('resident colours: upsert from excluded with an audit row per change; review times by group; latest colour event', async () => {
			const { db } = await open(fixture.fresh());
			const change = (ref: string, colour: string, previous: string | null, reviewAt: number | null) => ({
				ref,
				colour,
				previous,
				reasons: colour === 'green' ? [] : ['x'],
				ruleVersion: 'v',
				factsUsed: ['point:1'],
				reviewAt
			});
			await writeColours(db, [change('a', 'red', null, T0 + 5), change('b', 'green', null, null)], T0, 'test');
			await writeColours(db, [change('a', 'green', 'red', null)], T0 + 1, 'test');
			expect(await coloursOf(db, ['a', 'b', 'none'])).toEqual(
				expect.arrayContaining([
					{ ref: 'a', colour: 'green', reasons_json: '[]', review_at: null, explain_json: null },
					{ ref: 'b', colour: 'green', reasons_json: '[]', review_at: null, explain_json: null }
				])
			);
			const events = await db.selectFrom('resident_colour_events').select(['ref', 'colour', 'previous_colour']).orderBy('id').execute();
			expect(events).toEqual([
				{ ref: 'a', colour: 'red', previous_colour: null },
				{ ref: 'b', colour: 'green', previous_colour: null },
				{ ref: 'a', colour: 'green', previous_colour: 'red' }
			]);
			await setReviewTimes(db, [
				{ ref: 'a', reviewAt: T0 },
				{ ref: 'b', reviewAt: T0 - 1 }
			]);
			expect(await dueForReview(db, T0, 10)).toEqual(['b', 'a']);
			expect(await dueForReview(db, T0, 1)).toEqual(['b']);

			const p = await addPerson(db, 1);
			const event = (at: number, colour: string) =>
				insertColourEvent(db, { person_id: p, at, colour, reasons_json: '[]', rule_version: 'v', facts_json: 'null', actor: 'a' });
			await event(T0, 'red');
			await event(T0, 'yellow'); // same moment: the later row wins
			await event(T0 - 1, 'green');
			expect((await latestColourEvent(db, p))?.colour).toBe('yellow');
		});

		it('the audit tables are append-only: no update, no delete (and on PostgreSQL no truncate, no privilege for the app role)', async () => {
			const { db } = await open(fixture.fresh());
			const p = await addPerson(db, 1);
			await insertColourEvent(db, {
				person_id: p,
				at: T0,
				colour: 'red',
				reasons_json: '[]',
				rule_version: 'v',
				facts_json: 'null',
				actor: 'a'
			});
			await writeColours(
				db,
				[{ ref: 'r', colour: 'red', previous: null, reasons: ['x'], ruleVersion: 'v', factsUsed: [], reviewAt: null }],
				T0,
				'staff/x'
			);
			for (const table of ['colour_events', 'resident_colour_events'] as const) {
				await expect(db.updateTable(table).set({ colour: 'green' }).execute(), `${table} update`).rejects.toThrow();
				await expect(db.deleteFrom(table).execute(), `${table} delete`).rejects.toThrow();
				expect(
					Number(
						(
							await db
								.selectFrom(table)
								.select((eb) => eb.fn.countAll<number>().as('n'))
								.executeTakeFirstOrThrow()
						).n
					)
				).toBe(1);
				if (fixture.engine === 'postgres') {
					await expect(sql.raw(`truncate ${table}`).execute(db), `${table} truncate`).rejects.toThrow();
					const can = await sql<{ u: boolean; d: boolean; t: boolean }>`select has_table_privilege(current_user, ${table}, 'UPDATE') as u,
						has_table_privilege(current_user, ${table}, 'DELETE') as d, has_table_privilege(current_user, ${table}, 'TRUNCATE') as t`.execute(db);
					expect(can.rows[0]).toEqual({ u: false, d: false, t: false });
				}
			}
			// appending goes on
			await insertColourEvent(db, {
				person_id: p,
				at: T0 + 1,
				colour: 'green',
				reasons_json: '[]',
				rule_version: 'v',
				facts_json: 'null',
				actor: 'a'
			});
			expect((await latestColourEvent(db, p))?.colour).toBe('green');
		});

		it('the proposals audit is append-only too (migration 011): no update, no delete (PostgreSQL: no truncate, no privilege)', async () => {
			const { db } = await open(fixture.fresh());
			const step = {
				proposal_id: 'p1',
				at: T0,
				action: 'proposed',
				actor: 'staff/a',
				reason_code: 'test-result',
				note: null,
				detail_json: null
			};
			await insertProposalEvent(db, step);
			await expect(db.updateTable('proposal_events').set({ actor: 'staff/b' }).execute()).rejects.toThrow();
			await expect(db.deleteFrom('proposal_events').execute()).rejects.toThrow();
			if (fixture.engine === 'postgres') {
				await expect(sql.raw('truncate proposal_events').execute(db)).rejects.toThrow();
				const can = await sql<{
					u: boolean;
					d: boolean;
					t: boolean;
				}>`select has_table_privilege(current_user, 'proposal_events', 'UPDATE') as u,
					has_table_privilege(current_user, 'proposal_events', 'DELETE') as d, has_table_privilege(current_user, 'proposal_events', 'TRUNCATE') as t`.execute(
					db
				);
				expect(can.rows[0]).toEqual({ u: false, d: false, t: false });
			}
			await insertProposalEvent(db, { ...step, at: T0 + 1, action: 'approved', actor: 'staff/b' });
			expect((await proposalEvents(db, 'p1')).map((e) => [e.action, e.actor])).toEqual([
				['proposed', 'staff/a'],
				['approved', 'staff/b']
			]);
		});

		it('ID-number lookups are recorded append-only (migration 017): no update, no delete (PostgreSQL: no truncate, no privilege)', async () => {
			const { db } = await open(fixture.fresh());
			const read = { read_id: 'r1', ref: 'ref-a', at: T0, actor: 'cli/op', purpose: 'contact tracing' };
			await recordIdNumberReads(db, [read, { ...read, ref: 'ref-b' }]);
			await expect(db.updateTable('id_number_reads').set({ purpose: 'x' }).execute()).rejects.toThrow();
			await expect(db.deleteFrom('id_number_reads').execute()).rejects.toThrow();
			if (fixture.engine === 'postgres') {
				await expect(sql.raw('truncate id_number_reads').execute(db)).rejects.toThrow();
				const can = await sql<{ u: boolean; d: boolean }>`select has_table_privilege(current_user, 'id_number_reads', 'UPDATE') as u,
					has_table_privilege(current_user, 'id_number_reads', 'DELETE') as d`.execute(db);
				expect(can.rows[0]).toEqual({ u: false, d: false });
			}
			await recordIdNumberReads(db, [{ ...read, read_id: 'r2', at: T0 + 1 }]);
			expect((await idNumberReadsOf(db, 'ref-a')).map((r) => [r.read_id, r.purpose])).toEqual([
				['r2', 'contact tracing'],
				['r1', 'contact tracing']
			]);
		});

		it('staff actions are recorded append-only (migration 020) and page newest first with filters', async () => {
			const { db } = await open(fixture.fresh());
			const row = {
				at: T0,
				actor: 'alice',
				action: 'person.lookup',
				person_hash: 'ref-a',
				target: null,
				purpose: 'appeal 7',
				detail_json: null
			};
			await insertStaffAudit(db, row);
			await insertStaffAudit(db, { ...row, at: T0 + 1, action: 'tracing.query', person_hash: 'ref-b' });
			await insertStaffAudit(db, { ...row, at: T0 + 2, actor: 'bob', action: 'person.codes' });
			await expect(db.updateTable('staff_audit').set({ purpose: 'x' }).execute()).rejects.toThrow();
			await expect(db.deleteFrom('staff_audit').execute()).rejects.toThrow();
			if (fixture.engine === 'postgres') {
				await expect(sql.raw('truncate staff_audit').execute(db)).rejects.toThrow();
				const can = await sql<{ u: boolean; d: boolean }>`select has_table_privilege(current_user, 'staff_audit', 'UPDATE') as u,
					has_table_privilege(current_user, 'staff_audit', 'DELETE') as d`.execute(db);
				expect(can.rows[0]).toEqual({ u: false, d: false });
			}
			const all = await staffAuditPage(db, {}, 10);
			expect(all.map((r) => [r.actor, r.action, r.at])).toEqual([
				['bob', 'person.codes', T0 + 2],
				['alice', 'tracing.query', T0 + 1],
				['alice', 'person.lookup', T0]
			]);
			expect((await staffAuditPage(db, { action: 'person.' }, 10)).map((r) => r.action)).toEqual(['person.codes', 'person.lookup']);
			expect((await staffAuditPage(db, { actor: 'alice', personHash: 'ref-b' }, 10)).map((r) => r.action)).toEqual(['tracing.query']);
			expect((await staffAuditPage(db, { from: T0 + 1, until: T0 + 2 }, 10)).map((r) => r.action)).toEqual(['tracing.query']);
			const page2 = await staffAuditPage(db, {}, 2, { at: all[1]!.at, id: all[1]!.id });
			expect(page2.map((r) => r.action)).toEqual(['person.lookup']);
		});

		it('colour listing: pages in ref order with the filters, bounded by the page size', async () => {
			const { db } = await open(fixture.fresh());
			const put = (ref: string, colour: string, reasons: string[]) =>
				db
					.insertInto('resident_colours')
					.values({ ref, colour, reasons_json: JSON.stringify(reasons), rule_version: 'v1', updated_at: T0, review_at: null })
					.execute();
			await put('c', 'yellow', ['close-contact']);
			await put('a', 'green', []);
			await put('b', 'red', ['confirmed-case']);
			await put('d', 'yellow', ['venue-co-visit']);
			const first = await residentColourPage(db, null, 2);
			expect(first.map((r) => r.ref)).toEqual(['a', 'b']);
			expect((await residentColourPage(db, 'b', 2)).map((r) => r.ref)).toEqual(['c', 'd']);
			expect((await residentColourPage(db, null, 10, { colours: ['yellow'] })).map((r) => r.ref)).toEqual(['c', 'd']);
			expect((await residentColourPage(db, null, 10, { reasons: ['confirmed-case', 'venue-co-visit'] })).map((r) => r.ref)).toEqual([
				'b',
				'd'
			]);
			expect((await residentColoursOfRefs(db, ['d', 'x', 'a'], { colours: ['green', 'yellow'] })).map((r) => r.ref).sort()).toEqual([
				'a',
				'd'
			]);
		});

		it('one-time codes: attempts count up; a challenge is consumed once; failures read back from the rate-limit window', async () => {
			const { db } = await open(fixture.fresh());
			await insertOtpChallenge(db, {
				id: 'ch',
				phone_hmac: 'ph',
				code_hmac: 'h',
				expires_at: T0 + 60_000,
				attempts: 0,
				used_at: null,
				created_at: T0,
				client_ip: '127.0.0.1'
			});
			await addOtpAttempt(db, 'ch');
			await addOtpAttempt(db, 'ch');
			expect((await otpChallenge(db, 'ch'))?.attempts).toBe(2);
			expect(await consumeOtpChallenge(db, 'ch', T0, 2)).toBe(false); // too many guesses
			expect(await consumeOtpChallenge(db, 'ch', T0, 5)).toBe(true);
			expect(await consumeOtpChallenge(db, 'ch', T0, 5)).toBe(false);
			expect(await windowCount(db, 'b', T0 - (T0 % 1000))).toBe(0);
			await hit(db, 'b', 1000, 10, T0);
			await hit(db, 'b', 1000, 10, T0);
			expect(await windowCount(db, 'b', T0 - (T0 % 1000))).toBe(2);
		});

		it('scan ingest statements (scans.ts): the batch insert returns only new rows; seq reads; the watermark only rises', async () => {
			const { db } = await open(fixture.fresh());
			await insertVenue(db, { id: 'v1', name: 'V', region: '440305', policy_json: '{"policy":"green-only"}', created_at: T0 });
			await insertGuardDevice(db, { id: 'd1', venueId: 'v1', tokenHmac: 't1', createdAt: T0 });
			await insertGuardDevice(db, { id: 'd2', venueId: 'v1', tokenHmac: 't2', createdAt: T0 });
			const ev = (seq: number, id = `e-${seq}`) => ({
				eventId: id,
				seq,
				prevHash: `h${seq - 1}`,
				hash: `h${seq}`,
				codeId: seq % 2 ? null : `c${seq}`,
				verdict: 'valid',
				reason: '',
				scannedAt: T0 + seq
			});
			const d1 = { id: 'd1', venue_id: 'v1' };
			expect(await insertScanEvents(db, [ev(1), ev(2), ev(3)], d1, T0)).toHaveLength(3);
			// same ids (and a same seq under a new id): only the new row comes back; the compiled text is reused per count
			const again = await insertScanEvents(db, [ev(3), ev(4), ev(2, 'other')], d1, T0 + 1);
			expect(again.map((r) => r.event_id)).toEqual(['e-4']);
			expect((await insertScanEvents(db, [ev(5), ev(6), ev(7)], d1, T0)).map((r) => r.event_id).sort()).toEqual(['e-5', 'e-6', 'e-7']);
			await insertScanEvents(db, [ev(1, 'd2-1')], { id: 'd2', venue_id: 'v1' }, T0);
			expect((await scanEventsByIds(db, ['e-1', 'd2-1', 'nope'])).map((r) => [r.event_id, r.device_id, r.seq]).sort()).toEqual([
				['d2-1', 'd2', 1],
				['e-1', 'd1', 1]
			]);
			expect((await deviceScanEvents(db, 'd1', { from: 5 })).map((r) => r.seq)).toEqual([5, 6, 7]);
			expect(sorted((await deviceScanEvents(db, 'd1', { lo: 2, hi: 4 })).map((r) => r.seq))).toEqual([2, 3, 4]);
			expect(sorted((await deviceScanEvents(db, 'd1', { seqs: [1, 6, 9] })).map((r) => r.seq))).toEqual([1, 6]);
			expect(await scanWatermark(db, 'd1')).toBe(0);
			await expect(scanWatermark(db, 'nope')).rejects.toThrow();
			await raiseScanWatermark(db, 'd1', 4, 'h4');
			await raiseScanWatermark(db, 'd1', 2, 'h2');
			expect(await scanWatermark(db, 'd1')).toBe(4);
			expect(await db.selectFrom('guard_devices').select('last_hash').where('id', '=', 'd1').executeTakeFirstOrThrow()).toEqual({
				last_hash: 'h4'
			});
			expect(await scanEventsAbove(db, 'd1', 4)).toEqual([
				{ seq: 5, hash: 'h5' },
				{ seq: 6, hash: 'h6' },
				{ seq: 7, hash: 'h7' }
			]);
			const row = await db.selectFrom('scan_events').selectAll().where('event_id', '=', 'e-2').executeTakeFirstOrThrow();
			expect(row).toEqual({
				event_id: 'e-2',
				device_id: 'd1',
				seq: 2,
				prev_hash: 'h1',
				hash: 'h2',
				code_id: 'c2',
				verdict: 'valid',
				reason: '',
				scanned_at: T0 + 2,
				received_at: T0,
				venue_id: 'v1',
				registration_name: null,
				registration_phone_enc: null,
				registration_at: null
			});
			// migration 016: a registration attached once, read back as a number; a second one does not replace it
			await attachScanRegistrations(db, 'd1', [{ eventId: 'e-2', name: '张三丰', phoneEnc: 'v1.sealed', at: T0 + 9 }]);
			await attachScanRegistrations(db, 'd1', [{ eventId: 'e-2', name: '李四', phoneEnc: 'v1.other', at: T0 + 10 }]);
			await attachScanRegistrations(db, 'other-device', [{ eventId: 'e-3', name: '王五', phoneEnc: 'v1.x', at: T0 }]);
			expect(
				await db
					.selectFrom('scan_events')
					.select(['event_id', 'registration_name', 'registration_phone_enc', 'registration_at'])
					.where('event_id', 'in', ['e-2', 'e-3'])
					.orderBy('event_id')
					.execute()
			).toEqual([
				{ event_id: 'e-2', registration_name: '张三丰', registration_phone_enc: 'v1.sealed', registration_at: T0 + 9 },
				{ event_id: 'e-3', registration_name: null, registration_phone_enc: null, registration_at: null }
			]);
		});

		it('venues with guard counts (venues.ts): revoked devices do not count; counts are numbers; IfAbsent keeps a venue', async () => {
			const { db } = await open(fixture.fresh());
			await insertVenue(db, { id: 'b', name: 'B', region: '440305', policy_json: '{"policy":"green-only"}', created_at: T0 });
			await insertVenueIfAbsent(db, { id: 'a', name: 'A', region: '440304', policy_json: '{"policy":"green-only"}', created_at: T0 });
			await insertVenueIfAbsent(db, { id: 'a', name: 'changed', region: '440304', policy_json: '{}', created_at: T0 });
			for (const [id, venue] of [
				['g1', 'b'],
				['g2', 'b'],
				['g3', 'b']
			] as const)
				await insertGuardDevice(db, { id, venueId: venue, tokenHmac: `t-${id}`, createdAt: T0 });
			await db.updateTable('guard_devices').set({ revoked_at: T0 }).where('id', '=', 'g3').execute();
			expect(await venuesWithGuardCounts(db, 10)).toEqual([
				{ id: 'a', name: 'A', region: '440304', policy_json: '{"policy":"green-only"}', kind: 'other', guards: 0 },
				{ id: 'b', name: 'B', region: '440305', policy_json: '{"policy":"green-only"}', kind: 'other', guards: 2 }
			]);
			expect((await venuesWithGuardCounts(db, 1)).map((v) => v.id)).toEqual(['a']);
			// migration 027: name, kind and policy edited in place; an unknown id changes nothing
			expect(await updateVenue(db, 'a', { name: 'A2', kind: 'market', policy_json: '{"policy":"green-negative-48h"}' })).toBe(true);
			expect(await updateVenue(db, 'zz', { name: 'x', kind: 'market', policy_json: '{}' })).toBe(false);
			expect((await venuesWithGuardCounts(db, 1))[0]).toMatchObject({
				name: 'A2',
				kind: 'market',
				policy_json: '{"policy":"green-negative-48h"}'
			});
		});

		it('staff roles (migration 027): existing accounts become admin, demo.approver approver; list with open sessions; ending sessions keeps the rows', async () => {
			const options = fixture.fresh();
			const { db } = await open(options);
			const schema = fixture.schemaOf(options);
			const migrator = new Migrator({
				db,
				provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
				...(schema === undefined ? {} : { migrationTableSchema: schema })
			});
			const down = await migrator.migrateTo('020-staff-audit');
			expect(down.error).toBeUndefined();
			for (const [id, username] of [
				['s1', 'wang'],
				['s2', 'demo.approver']
			])
				await sql`insert into staff (id, username, password_hash, created_at, disabled_at) values (${id}, ${username}, 'h', ${T0}, null)`.execute(
					db
				);
			expect(await migrateToLatest(db, schema)).toEqual(MIGRATION_NAMES.filter((n) => n > '020-staff-audit'));
			expect(await db.selectFrom('staff').select(['username', 'role']).orderBy('username').execute()).toEqual([
				{ username: 'demo.approver', role: 'approver' },
				{ username: 'wang', role: 'admin' }
			]);
			await insertStaff(db, { id: 's3', username: 'li', password_hash: 'h', created_at: T0, disabled_at: null, role: 'viewer' });
			expect(await setStaffRole(db, 'li', 'officer')).toBe(true);
			expect(await setStaffRole(db, 'nobody', 'officer')).toBe(false);
			const session = (token: string, subject: string, expires: number) =>
				insertSession(db, {
					token_hmac: token,
					account_id: null,
					role: 'staff',
					subject,
					created_at: T0,
					expires_at: expires,
					last_seen_at: T0 + 5
				});
			await session('t1', 's1', T0 + 1000);
			await session('t2', 's1', T0 + 2000);
			await session('t3', 's1', T0 - 1);
			expect((await listStaffRows(db, T0)).map((r) => [r.username, r.role, r.open_sessions, r.last_seen_at])).toEqual([
				['demo.approver', 'approver', 0, null],
				['li', 'officer', 0, null],
				['wang', 'admin', 2, T0 + 5]
			]);
			expect(await endSessionsOfSubject(db, 'staff', 's1', T0)).toBe(2);
			expect(await endSessionsOfSubject(db, 'staff', 's1', T0)).toBe(0);
			expect((await sessionByTokenHmac(db, 't1'))?.expires_at).toBe(T0);
			expect((await listStaffRows(db, T0)).find((r) => r.username === 'wang')?.open_sessions).toBe(0);
		});

		it('guard devices for the console (guard-devices.ts, migration 013): venue, last upload by the newest seq, revocation kept once with its actor', async () => {
			const { db } = await open(fixture.fresh());
			await insertVenue(db, { id: 'v1', name: '图书馆', region: '440305', policy_json: '{"policy":"green-only"}', created_at: T0 });
			await insertGuardDevice(db, { id: 'd1', venueId: 'v1', tokenHmac: 't1', createdAt: T0 });
			await insertGuardDevice(db, { id: 'd2', venueId: 'v1', tokenHmac: 't2', createdAt: T0 + 1 });
			const ev = (seq: number) => ({
				eventId: `e-${seq}`,
				seq,
				prevHash: `h${seq - 1}`,
				hash: `h${seq}`,
				codeId: null,
				verdict: 'valid',
				reason: '',
				scannedAt: T0 + seq
			});
			await insertScanEvents(db, [ev(1), ev(2)], { id: 'd1', venue_id: 'v1' }, T0 + 100);
			await insertScanEvents(db, [ev(3)], { id: 'd1', venue_id: 'v1' }, T0 + 200);
			expect(await revokeGuardDevice(db, 'd2', T0 + 300, 'staff/s1')).toBe(true);
			expect(await revokeGuardDevice(db, 'd2', T0 + 400, 'cli')).toBe(true);
			expect(await revokeGuardDevice(db, 'nope', T0, 'cli')).toBe(false);
			expect(await listGuardDevices(db)).toEqual([
				{
					id: 'd2',
					venue_id: 'v1',
					venue_name: '图书馆',
					created_at: T0 + 1,
					revoked_at: T0 + 300,
					revoked_by: 'staff/s1',
					last_sync_at: null
				},
				{ id: 'd1', venue_id: 'v1', venue_name: '图书馆', created_at: T0, revoked_at: null, revoked_by: null, last_sync_at: T0 + 200 }
			]);
		});

		it('imported facts (facts-import.ts, register.ts): a second write updates from excluded; IfAbsent keeps what is there', async () => {
			const { db } = await open(fixture.fresh());
			await db.transaction().execute(async (tx) => {
				await upsertTests(tx, [{ id: 't', ref: 'r', sampledAt: T0, result: 'negative' }], T0);
				await upsertCases(tx, [{ id: 'c', ref: 'r', confirmedAt: T0, releasedAt: null }], T0);
				await upsertQuarantineOrders(tx, [{ id: 'q', ref: 'r', from: T0, until: T0 + 10 }], T0);
				await upsertContacts(tx, [{ id: 'k', ref: 'r', toRef: 's', kind: 'close', exposedAt: T0 }], T0);
				await upsertRegister(tx, [{ ref: 'r', nameHmac: 'n1', region: '440305', household: null }], T0);
				await upsertPhones(tx, [{ phoneHmac: 'p', ref: 'r' }], T0);
			});
			await db.transaction().execute(async (tx) => {
				await upsertTests(tx, [{ id: 't', ref: 'r', sampledAt: T0, result: 'positive' }], T0 + 1);
				await upsertCases(tx, [{ id: 'c', ref: 'r', confirmedAt: T0, releasedAt: T0 + 5, onsetAt: T0 - 7, isolatedAt: T0 - 3 }], T0 + 1);
				await upsertQuarantineOrders(tx, [{ id: 'q', ref: 'r', from: T0, until: T0 + 20 }], T0 + 1);
				await upsertContacts(tx, [{ id: 'k', ref: 'r', toRef: 's', kind: 'close', exposedAt: T0 + 2 }], T0 + 1);
				await upsertRegister(tx, [{ ref: 'r', nameHmac: 'n2', region: '440304', household: 'h' }], T0 + 1);
				await upsertPhones(tx, [{ phoneHmac: 'p', ref: 'r2' }], T0 + 1);
			});
			expect(await db.selectFrom('health_tests').selectAll().execute()).toEqual([
				{ id: 't', ref: 'r', sampled_at: T0, result: 'positive', received_at: T0 + 1, source_region: null }
			]);
			expect(await db.selectFrom('cases').selectAll().execute()).toEqual([
				{
					id: 'c',
					ref: 'r',
					confirmed_at: T0,
					released_at: T0 + 5,
					received_at: T0 + 1,
					onset_at: T0 - 7,
					isolated_at: T0 - 3,
					source_region: null
				}
			]);
			expect(await db.selectFrom('quarantine_orders').selectAll().execute()).toEqual([
				{ id: 'q', ref: 'r', from_at: T0, until_at: T0 + 20, received_at: T0 + 1, source_region: null }
			]);
			expect(await db.selectFrom('contacts').selectAll().execute()).toEqual([
				{ id: 'k', ref: 'r', kind: 'close', to_ref: 's', exposed_at: T0 + 2, received_at: T0 + 1, source_region: null }
			]);
			expect(await db.selectFrom('household_register').selectAll().execute()).toEqual([
				{ id_hmac: 'r', name_hmac: 'n2', region: '440304', household_id: 'h', updated_at: T0 + 1 }
			]);
			expect(await db.selectFrom('phone_registry').selectAll().execute()).toEqual([{ phone_hmac: 'p', id_hmac: 'r2', updated_at: T0 + 1 }]);
			await insertRegisterIfAbsent(db, { ref: 'r', nameHmac: 'n3', region: '440303', household: null }, T0 + 2);
			await insertPhoneIfAbsent(db, { phoneHmac: 'p', ref: 'r3' }, T0 + 2);
			expect((await db.selectFrom('household_register').select('name_hmac').executeTakeFirstOrThrow()).name_hmac).toBe('n2');
			expect((await db.selectFrom('phone_registry').select('id_hmac').executeTakeFirstOrThrow()).id_hmac).toBe('r2');
		});

		it('retention purge deletes exactly the rows past their time', async () => {
			const { db } = await open(fixture.fresh());
			const now = T0 + 100 * DAY_MS;
			const cutoff = now - 21 * DAY_MS;

			await db
				.insertInto('trajectory_points')
				.values(
					[cutoff - 1, cutoff, cutoff + 1, now, cutoff - 30 * DAY_MS].map((at) => ({
						phone_hmac: 'ph',
						at,
						lat: 22.5,
						lon: 114.1,
						cell: null,
						accuracy_m: null
					}))
				)
				.execute();

			await db.insertInto('venues').values({ id: 'v1', name: 'v', region: '440300', policy_json: '{}', created_at: T0 }).execute();
			await db.insertInto('guard_devices').values({ id: 'd1', venue_id: 'v1', token_hmac: 't', created_at: T0 }).execute();
			const scans: [string, number, number][] = [
				['old', cutoff - 1, cutoff - 1],
				['clock-ahead', now + DAY_MS, cutoff - 1], // device clock wrong, received long ago
				['late-upload', cutoff - 1, now], // scanned long ago, uploaded today
				['fresh', now - 1, now],
				['boundary', cutoff, cutoff]
			];
			await db
				.insertInto('scan_events')
				.values(
					scans.map(([id, scanned, received], seq) => ({
						event_id: id,
						device_id: 'd1',
						seq,
						prev_hash: 'p',
						hash: id,
						code_id: null,
						verdict: 'valid',
						reason: 'ok',
						scanned_at: scanned,
						received_at: received,
						venue_id: 'v1'
					}))
				)
				.execute();

			const old = now - DAY_MS - 1;
			const otps: [string, number, number, number | null][] = [
				// id, created, expires, used
				['old-used', old, now + 60_000, old + 1],
				['old-expired', old, old + 300_000, null],
				['old-live', old, now + 60_000, null], // odd but not spent: kept
				['recent-used', now - 60_000, now + 240_000, now - 30_000],
				['recent-expired', now - DAY_MS + 1, now - DAY_MS + 300_001, null]
			];
			await db
				.insertInto('otp_challenges')
				.values(
					otps.map(([id, created, expires, used]) => ({
						id,
						phone_hmac: 'ph',
						code_hmac: 'c',
						expires_at: expires,
						used_at: used,
						created_at: created,
						client_ip: '203.0.113.7'
					}))
				)
				.execute();

			const sessions: [string, number][] = [
				['expired', now - 1],
				['expires-now', now],
				['live', now + 1]
			];
			await db
				.insertInto('sessions')
				.values(
					sessions.map(([token, expires]) => ({
						token_hmac: token,
						account_id: null,
						role: 'resident',
						subject: token,
						created_at: T0,
						expires_at: expires,
						last_seen_at: T0
					}))
				)
				.execute();

			expect(await purgeExpired(db, now)).toEqual({ trajectoryPoints: 2, scanEvents: 3, otpChallenges: 2, sessions: 2, statusEntries: 0 });
			expect(sorted((await db.selectFrom('trajectory_points').select('at').execute()).map((r) => r.at))).toEqual([cutoff, cutoff + 1, now]);
			expect((await db.selectFrom('scan_events').select('event_id').orderBy('event_id').execute()).map((r) => r.event_id)).toEqual([
				'boundary',
				'fresh'
			]);
			expect((await db.selectFrom('otp_challenges').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([
				'old-live',
				'recent-expired',
				'recent-used'
			]);
			expect((await db.selectFrom('sessions').select('token_hmac').execute()).map((r) => r.token_hmac)).toEqual(['live']);

			// idempotent; a shorter retention takes more
			expect(await purgeExpired(db, now)).toEqual({ trajectoryPoints: 0, scanEvents: 0, otpChallenges: 0, sessions: 0, statusEntries: 0 });
			expect((await purgeExpired(db, now, { retentionDays: 1 })).trajectoryPoints).toBe(2);
		});
	});
}

afterAll(async () => {
	for (const fixture of fixtures) await fixture.cleanup();
});

beforeAll(() => {
	if (PG_URL) console.info(`storage contract: PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}, schemas tx_test_${process.pid}_*`);
});

// ---------------------------------------------------------------------------------------------------------------
// A second process: tsx loads the TypeScript sources, like bin/tongxing.js does.

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../../..');

const CHILD = `
const { register } = await import('tsx/esm/api');
register();
const { openDatabase, inTransaction } = await import(process.env.TX_OPEN);
const { hit } = await import(process.env.TX_RATE_LIMIT);
const { existsSync, writeFileSync } = await import('node:fs');
const { join } = await import('node:path');
const env = JSON.parse(process.env.TX_CHILD);
writeFileSync(join(env.barrier, 'ready-' + process.pid), '');
while (!existsSync(join(env.barrier, 'go'))) await new Promise((r) => setTimeout(r, 5));
const { db, close } = await openDatabase({ dataDir: env.dataDir });
const increment = () =>
	inTransaction(db, async (trx) => {
		const row = await trx.selectFrom('meta').select('value').where('key', '=', 'counter').executeTakeFirst();
		const next = String(Number(row?.value ?? '0') + 1);
		if (row) await trx.updateTable('meta').set({ value: next }).where('key', '=', 'counter').execute();
		else await trx.insertInto('meta').values({ key: 'counter', value: next }).execute();
	});
const [results] = await Promise.all([
	Promise.all(Array.from({ length: env.hits }, () => hit(db, 'shared', 60000, 1000, 1767225600123))),
	Promise.all(Array.from({ length: env.increments }, increment))
]);
await close();
process.stdout.write(JSON.stringify({ counts: results.map((r) => r.count) }));
`;

/** Waits until `count` children wrote ready-* into `dir`, then writes go (gives up if the children end first). */
async function releaseBarrier(dir: string, count: number, children: Promise<unknown>): Promise<void> {
	let ended = false;
	children.then(
		() => (ended = true),
		() => (ended = true)
	);
	while (!ended && readdirSync(dir).filter((f) => f.startsWith('ready-')).length < count) {
		await new Promise((r) => setTimeout(r, 5));
	}
	writeFileSync(join(dir, 'go'), '');
}

async function runChild(env: { dataDir: string; barrier: string; hits: number; increments: number }): Promise<{ counts: number[] }> {
	const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], {
		cwd: ROOT,
		env: {
			...process.env,
			TX_OPEN: pathToFileURL(join(import.meta.dirname, 'open.ts')).href,
			TX_RATE_LIMIT: pathToFileURL(join(import.meta.dirname, 'rate-limit.ts')).href,
			TX_CHILD: JSON.stringify(env)
		}
	});
	return JSON.parse(stdout) as { counts: number[] };
}
