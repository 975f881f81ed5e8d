/**
 * The console overview's counts (migration 026, overview.ts) and the unified audit (audit-log.ts) on both
 * engines (PostgreSQL when TEST_DATABASE_URL is set, as storage.contract.test.ts): the counts the writers keep
 * equal a recount from the stored rows, before and after the fold; re-sent scans count once; the audit pages
 * newest first across its sources with the viewer's filters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase, type OpenOptions } from './open';
import { writeColours, type ColourChange } from './resident-colours';
import { insertScanEvents, raiseScanWatermark } from './scans';
import { appendToStatusList, purgeExpiredStatusEntries, STATUS_ENTRY_GRACE_MS } from './status-list';
import { insertVenue } from './venues';
import { insertGuardDevice } from './guard-devices';
import { addOverviewDeltas, devicesLastScan, foldOverviewDeltas, HOUR_MS, overviewCounts, pendingWork, rebuildOverview } from './overview';
import { insertStaffAudit } from './staff-audit';
import { insertStaff } from './staff';
import { insertProposalEvent } from './proposals';
import { recordIdNumberReads } from './colour-listing';
import { auditLogPage } from './audit-log';
import { consoleOverview } from '../overview/console-overview';
import { auditPage, csvField, readAuditRequest } from '../audit/audit-log';

const PG_URL = process.env.TEST_DATABASE_URL || undefined;
const RUN_ID = `${process.pid}_${Date.now().toString(36)}_ov`;
/** 2026-01-01T00:00:00Z + 10 min */
const T0 = 1_767_225_600_000 + 600_000;

const engines: { name: string; fresh(): OpenOptions; cleanup(o: OpenOptions): Promise<void> }[] = [
	{
		name: 'sqlite',
		fresh: () => ({ dataDir: mkdtempSync(join(tmpdir(), 'tongxing-ov-')) }),
		cleanup: (o) => Promise.resolve(rmSync(o.dataDir!, { recursive: true, force: true }))
	},
	...(PG_URL
		? [
				{
					name: 'postgres',
					fresh: () => ({ databaseUrl: PG_URL, pgSchema: `tx_test_${RUN_ID}_${Math.random().toString(36).slice(2, 8)}` }),
					async cleanup(o: OpenOptions) {
						const c = new pg.Client({ connectionString: PG_URL });
						await c.connect();
						try {
							await c.query(`drop schema if exists "${o.pgSchema}" cascade`);
						} finally {
							await c.end();
						}
					}
				}
			]
		: [])
];

const change = (ref: string, colour: string, previous: string | null, reasons: string[] = []): ColourChange => ({
	ref,
	colour,
	previous,
	reasons,
	ruleVersion: 'r1',
	factsUsed: [],
	reviewAt: null
});

/** counts as a sorted list of "metric bucket key n" (bucket relative to T0's hour) */
async function snapshot(db: OpenDatabase['db']): Promise<string[]> {
	const h0 = Math.floor(T0 / HOUR_MS) * HOUR_MS;
	return (await overviewCounts(db, 0))
		.filter((r) => r.n !== 0)
		.map((r) => `${r.metric} ${r.bucket === 0 ? 'now' : (r.bucket - h0) / HOUR_MS} ${r.key} ${r.n}`)
		.sort();
}

for (const engine of engines) {
	describe(`overview counts and audit: ${engine.name}`, { timeout: 30_000 }, () => {
		const opened: { handle: OpenDatabase; options: OpenOptions }[] = [];
		async function open(): Promise<OpenDatabase> {
			const options = engine.fresh();
			const handle = await openDatabase(options);
			opened.push({ handle, options });
			return handle;
		}
		afterEach(async () => {
			for (const { handle, options } of opened.splice(0)) {
				await handle.close();
				await engine.cleanup(options);
			}
		});

		it('writers keep the counts a recount from the rows gives, folded or not; re-sent scans count once', async () => {
			const { db } = await open();
			await writeColours(db, [change('a', 'green', null), change('b', 'green', null), change('c', 'green', null)], T0, 'seed');
			await writeColours(
				db,
				[change('a', 'red', 'green', ['case']), change('b', 'yellow', 'green', ['area', 'contact'])],
				T0 + HOUR_MS,
				'r'
			);
			// same colour, new reasons: no recolour
			await writeColours(db, [change('a', 'red', 'red', ['case', 'contact'])], T0 + HOUR_MS, 'r');
			await writeColours(db, [change('b', 'green', 'yellow')], T0 + 2 * HOUR_MS, 'r');

			await insertVenue(db, { id: 'v1', name: '图书馆', region: '440305', policy_json: '{"policy":"green-only"}', created_at: T0 });
			await insertGuardDevice(db, { id: 'd1', venueId: 'v1', tokenHmac: 't1', createdAt: T0 });
			await insertGuardDevice(db, { id: 'd2', venueId: 'v1', tokenHmac: 't2', createdAt: T0 });
			const ev = (seq: number, verdict = 'valid') => ({
				eventId: `e-${seq}`,
				seq,
				prevHash: `h${seq - 1}`,
				hash: `h${seq}`,
				codeId: null,
				verdict,
				reason: verdict === 'unverifiable' ? 'status-list-stale' : 'ok',
				scannedAt: T0 + seq * 60_000
			});
			const d1 = { id: 'd1', venue_id: 'v1' };
			await insertScanEvents(db, [ev(1), ev(2, 'unverifiable')], d1, T0 + HOUR_MS);
			await insertScanEvents(db, [ev(2, 'unverifiable'), ev(3, 'invalid')], d1, T0 + HOUR_MS + 5);
			await raiseScanWatermark(db, 'd1', 3, 'h3');

			await appendToStatusList(db, '440305', ['c1', 'c2'], T0);
			await appendToStatusList(db, '440305', ['c2', 'c3'], T0 + 1);

			const expected = [
				'colour now green 2',
				'colour now red 1',
				'colour.net 0 green 3',
				'colour.net 1 green -2',
				'colour.net 1 red 1',
				'colour.net 1 yellow 1',
				'colour.net 2 green 1',
				'colour.net 2 yellow -1',
				'recolour 1 area 1',
				'recolour 1 case 1',
				'recolour 1 contact 1',
				'recolour 2 none 1',
				'scan 0 v1 3',
				'status now 440305 3',
				'verdict 0 invalid 1',
				'verdict 0 unverifiable 1',
				'verdict 0 valid 1'
			];
			expect(await snapshot(db)).toEqual(expected);
			expect(await foldOverviewDeltas(db, T0 + 3 * HOUR_MS)).toBeGreaterThan(0);
			expect(await db.selectFrom('overview_deltas').selectAll().execute()).toEqual([]);
			expect(await snapshot(db)).toEqual(expected);
			// a fold with nothing new changes nothing; a later delta is read before its fold
			expect(await foldOverviewDeltas(db, T0 + 3 * HOUR_MS)).toBe(0);
			await addOverviewDeltas(db, [{ metric: 'import', bucket: Math.floor(T0 / HOUR_MS) * HOUR_MS, key: 'tests', n: 5 }]);
			expect(await snapshot(db)).toContain('import 0 tests 5');
			// the recount from the stored rows (migration 026, the demo seed) gives the same (imports leave no rows)
			await rebuildOverview(db);
			expect(await snapshot(db)).toEqual(expected);

			// purge: the status-list size goes down with the entries
			await db.updateTable('status_entries').set({ exp: T0 }).where('code_id', '=', 'c1').execute();
			expect(await purgeExpiredStatusEntries(db, T0 + STATUS_ENTRY_GRACE_MS + 1)).toBe(1);
			expect(await snapshot(db)).toContain('status now 440305 2');

			expect(await devicesLastScan(db)).toEqual([
				{ id: 'd1', venueId: 'v1', venueName: '图书馆', receivedAt: T0 + HOUR_MS + 5, scannedAt: T0 + 180_000 },
				{ id: 'd2', venueId: 'v1', venueName: '图书馆', receivedAt: null, scannedAt: null }
			]);
			expect(await pendingWork(db)).toEqual({ proposals: 0, appeals: 0, oldestAppealAt: null });

			const o = await consoleOverview(db, T0 + 2 * HOUR_MS + 1);
			expect(o.hours).toHaveLength(24);
			expect(o.colours).toEqual({ green: 2, red: 1 });
			const h0 = Math.floor(T0 / HOUR_MS) * HOUR_MS;
			const at = (h: number) => o.colourSeries.find((s) => s.hour === h0 + h * HOUR_MS)?.counts;
			expect([at(-1), at(0), at(1), at(2)]).toEqual([{}, { green: 3 }, { green: 1, red: 1, yellow: 1 }, { green: 2, red: 1 }]);
			expect(o.recolours.map((r) => `${(r.hour - h0) / HOUR_MS} ${r.reason} ${r.count}`)).toEqual([
				'1 area 1',
				'1 case 1',
				'1 contact 1',
				'2 none 1'
			]);
			expect(o.scansByVenue).toEqual([{ venueId: 'v1', name: '图书馆', count: 3 }]);
			expect(o.scansByHour.reduce((a, b) => a + b, 0)).toBe(3);
			expect(o.verdicts).toEqual({ valid: 1, invalid: 1, unverifiable: 1 });
			expect(o.statusList).toEqual([{ region: '440305', entries: 2 }]);
		});

		it('the audit pages newest first across its sources, with filters and a cursor', async () => {
			const { db } = await open();
			const staff = { actor: 'alice', person_hash: null, target: null, purpose: null, detail_json: null };
			await insertStaffAudit(db, { ...staff, at: T0, action: 'guard.revoke', target: 'd1' });
			await insertStaffAudit(db, { ...staff, at: T0 + 2, action: 'person.lookup', person_hash: 'ref-a', purpose: 'appeal 7' });
			await insertStaff(db, { id: 's-bob', username: 'bob', password_hash: 'x', created_at: T0, disabled_at: null, role: 'officer' });
			// the older audits name staff `staff/<id>`: shown and filtered by username
			await insertProposalEvent(db, {
				proposal_id: 'p1',
				at: T0 + 1,
				action: 'approve',
				actor: 'staff/s-bob',
				reason_code: 'case-confirmed',
				note: null,
				detail_json: null
			});
			await recordIdNumberReads(db, [{ read_id: 'r1', ref: 'ref-a', at: T0 + 2, actor: 'cli:ops', purpose: 'tracing' }]);

			const all = await auditLogPage(db, {}, 10);
			expect(all.map((r) => `${r.source} ${r.action} ${r.actor}`)).toEqual([
				'id-read id.read cli:ops',
				'staff person.lookup alice',
				'proposal proposal.approve staff/s-bob',
				'staff guard.revoke alice'
			]);
			expect((await auditLogPage(db, { personHash: 'ref-a' }, 10)).map((r) => r.source)).toEqual(['id-read', 'staff']);
			expect((await auditLogPage(db, { action: 'proposal.' }, 10)).map((r) => r.target)).toEqual(['p1']);
			expect((await auditLogPage(db, { actor: 'alice', from: T0 + 1 }, 10)).map((r) => r.action)).toEqual(['person.lookup']);
			expect((await auditLogPage(db, { sources: ['staff'] }, 10)).map((r) => r.action)).toEqual(['person.lookup', 'guard.revoke']);

			const bob = await auditPage(db, readAuditRequest(new URLSearchParams('actor=bob')));
			expect(bob.entries.map((e) => `${e.key} ${e.actor}`)).toEqual(['proposal:1 bob']);
			expect((await auditLogPage(db, { actor: 'bob' }, 10)).length).toBe(0); // the store alone: exact spelling
			// two pages of two, through the service's cursor
			const p1 = await auditPage(db, readAuditRequest(new URLSearchParams('limit=2')));
			expect(p1.entries.map((e) => e.key)).toEqual(['id-read:1', 'staff:2']);
			const p2 = await auditPage(db, readAuditRequest(new URLSearchParams(`limit=2&before=${p1.next}`)));
			expect(p2.entries.map((e) => e.key)).toEqual(['proposal:1', 'staff:1']);
			expect(p2.next).toBeNull();
		});
	});
}

describe('audit filters and CSV fields', () => {
	it('refuses bad filters with audit/bad-filter naming the field', () => {
		for (const [q, field] of [
			['from=yesterday', 'from'],
			['from=10&until=5', 'until'],
			['limit=0', 'limit'],
			['limit=501', 'limit'],
			['before=x', 'before'],
			['source=staff,nope', 'source']
		] as const) {
			expect(() => readAuditRequest(new URLSearchParams(q)), q).toThrow(
				expect.objectContaining({ code: 'audit/bad-filter', params: { field } })
			);
		}
	});
	it('quotes CSV fields and defuses spreadsheet formulas', () => {
		expect([csvField(null), csvField(3), csvField('a,b'), csvField('say "hi"'), csvField('=SUM(A1)'), csvField('-1')]).toEqual([
			'',
			'3',
			'"a,b"',
			'"say ""hi"""',
			"'=SUM(A1)",
			"'-1"
		]);
	});
});
