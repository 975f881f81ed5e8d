/**
 * What a backup must give back (docs/drills.md §4): the rows per table, each scanner's hash chain (recomputed, not
 * just read: core/scan-log.ts), each region's status list (its version and a digest of its revocations), and a
 * digest of every append-only audit. `tongxing backup` writes it next to the copy, computed from the copy itself
 * (SQLite) or inside the very snapshot pg_dump reads (PostgreSQL), so traffic during the backup cannot make it
 * disagree; `tongxing restore` computes it again on the restored database and refuses a difference.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { scanEventHash } from '../../core/scan-log.js';
import type { ScanVerdict } from '../../core/contract/scan-event.js';
import type { Db } from './db.js';
import { TABLES } from './schema.js';

export interface ScanChainHead {
	/** events stored for the device (retention may have purged the oldest) */
	events: number;
	/** the newest stored event's seq and hash */
	seq: number;
	hash: string;
	/** the device's upload watermark (guard_devices.last_seq / last_hash) */
	lastSeq: number;
	lastHash: string | null;
	/** events whose recomputed hash differs, or whose prev_hash is not the previous seq's hash: 0 when intact */
	broken: number;
}

export interface StatusListHead {
	/** the list version scanners hold (status_lists.seq) */
	seq: number;
	/** revocations listed, and a SHA-256 over them in (seq, code_id) order */
	entries: number;
	digest: string;
}

export interface AuditDigest {
	rows: number;
	lastId: number;
	/** SHA-256 over every row in id order */
	digest: string;
}

export interface DatabaseManifest {
	/** the newest migration applied */
	migration: string;
	counts: Record<string, number>;
	scanChains: Record<string, ScanChainHead>;
	statusLists: Record<string, StatusListHead>;
	audits: Record<string, AuditDigest>;
}

/** The append-only audits (each with an autoincrement id): colour decisions, proposals, links, staff actions, reads. */
export const AUDIT_TABLES = [
	'colour_events',
	'resident_colour_events',
	'proposal_events',
	'member_link_events',
	'staff_audit',
	'id_number_reads'
] as const;

const PAGE = 5000;

export async function databaseManifest(db: Db): Promise<DatabaseManifest> {
	const migration =
		(await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db)).rows[0]?.name ?? '';
	const counts: Record<string, number> = {};
	for (const t of TABLES) {
		counts[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0]!.n);
	}
	const audits: Record<string, AuditDigest> = {};
	for (const t of AUDIT_TABLES) audits[t] = await auditDigest(db, t);
	return { migration, counts, scanChains: await scanChains(db), statusLists: await statusLists(db), audits };
}

async function auditDigest(db: Db, table: (typeof AUDIT_TABLES)[number]): Promise<AuditDigest> {
	const h = createHash('sha256');
	let after = -1;
	let rows = 0;
	for (;;) {
		const page = (
			await sql<
				Record<string, unknown> & { id: number }
			>`select * from ${sql.table(table)} where id > ${after} order by id limit ${PAGE}`.execute(db)
		).rows;
		for (const r of page) h.update(JSON.stringify(Object.values(r))).update('\n');
		rows += page.length;
		if (page.length < PAGE) break;
		after = Number(page[page.length - 1]!.id);
	}
	const lastId = Number((await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(db)).rows[0]?.m ?? 0);
	return { rows, lastId, digest: h.digest('base64url') };
}

async function scanChains(db: Db): Promise<Record<string, ScanChainHead>> {
	const heads: Record<string, ScanChainHead> = {};
	for (const d of await db.selectFrom('guard_devices').select(['id', 'last_seq', 'last_hash']).orderBy('id').execute()) {
		heads[d.id] = { events: 0, seq: 0, hash: '', lastSeq: d.last_seq, lastHash: d.last_hash, broken: 0 };
	}
	let cursor: { device: string; seq: number } | undefined;
	let prev: { device: string; seq: number; hash: string } | undefined;
	for (;;) {
		let q = db
			.selectFrom('scan_events')
			.select(['event_id', 'device_id', 'seq', 'prev_hash', 'hash', 'code_id', 'verdict', 'reason', 'scanned_at', 'venue_id'])
			.orderBy('device_id')
			.orderBy('seq')
			.limit(PAGE);
		if (cursor) {
			const c = cursor;
			q = q.where((eb) => eb.or([eb('device_id', '>', c.device), eb.and([eb('device_id', '=', c.device), eb('seq', '>', c.seq)])]));
		}
		const page = await q.execute();
		for (const e of page) {
			const head = (heads[e.device_id] ??= { events: 0, seq: 0, hash: '', lastSeq: 0, lastHash: null, broken: 0 });
			const recomputed = scanEventHash({
				eventId: e.event_id,
				deviceId: e.device_id,
				seq: e.seq,
				venueId: e.venue_id,
				scannedAt: e.scanned_at,
				codeId: e.code_id,
				verdict: e.verdict as ScanVerdict,
				reason: e.reason,
				prevHash: e.prev_hash
			});
			const linked = !(prev && prev.device === e.device_id && prev.seq + 1 === e.seq && prev.hash !== e.prev_hash);
			if (recomputed !== e.hash || !linked) head.broken++;
			head.events++;
			head.seq = e.seq;
			head.hash = e.hash;
			prev = { device: e.device_id, seq: e.seq, hash: e.hash };
		}
		if (page.length < PAGE) break;
		const last = page[page.length - 1]!;
		cursor = { device: last.device_id, seq: last.seq };
	}
	return heads;
}

async function statusLists(db: Db): Promise<Record<string, StatusListHead>> {
	const lists: Record<string, StatusListHead> = {};
	for (const l of await db.selectFrom('status_lists').select(['region', 'seq']).orderBy('region').execute()) {
		const h = createHash('sha256');
		let entries = 0;
		let cursor: { seq: number; code: string } | undefined;
		for (;;) {
			let q = db
				.selectFrom('status_entries')
				.select(['seq', 'code_id'])
				.where('region', '=', l.region)
				.orderBy('seq')
				.orderBy('code_id')
				.limit(PAGE);
			if (cursor) {
				const c = cursor;
				q = q.where((eb) => eb.or([eb('seq', '>', c.seq), eb.and([eb('seq', '=', c.seq), eb('code_id', '>', c.code)])]));
			}
			const page = await q.execute();
			for (const e of page) h.update(`${e.seq}\t${e.code_id}\n`);
			entries += page.length;
			if (page.length < PAGE) break;
			const last = page[page.length - 1]!;
			cursor = { seq: last.seq, code: last.code_id };
		}
		lists[l.region] = { seq: l.seq, entries, digest: h.digest('base64url') };
	}
	return lists;
}

/**
 * The differences between the manifest written at backup and the one computed after restore, one line each (empty:
 * the same). Tables the restoring version added (newer migrations) are not in the backup's manifest and not compared.
 * A scan chain with broken links is reported even when both sides agree on it.
 */
export function compareManifests(expected: DatabaseManifest, actual: DatabaseManifest): string[] {
	const diffs: string[] = [];
	for (const [t, n] of Object.entries(expected.counts)) {
		if (actual.counts[t] !== n) diffs.push(`${t}: ${n} rows backed up, ${actual.counts[t] ?? 'no table'} restored`);
	}
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	for (const [id, head] of Object.entries(expected.scanChains)) {
		const got = actual.scanChains[id];
		if (!same(head, got)) diffs.push(`scan chain ${id}: backed up ${JSON.stringify(head)}, restored ${JSON.stringify(got ?? null)}`);
		if (got && got.broken > 0) diffs.push(`scan chain ${id}: ${got.broken} events do not hash or link`);
	}
	for (const id of Object.keys(actual.scanChains)) if (!(id in expected.scanChains)) diffs.push(`scan chain ${id}: not in the backup`);
	for (const [region, list] of Object.entries(expected.statusLists)) {
		const got = actual.statusLists[region];
		if (!same(list, got)) diffs.push(`status list ${region}: backed up ${JSON.stringify(list)}, restored ${JSON.stringify(got ?? null)}`);
	}
	for (const region of Object.keys(actual.statusLists))
		if (!(region in expected.statusLists)) diffs.push(`status list ${region}: not in the backup`);
	for (const [t, a] of Object.entries(expected.audits)) {
		if (!same(a, actual.audits[t]))
			diffs.push(`audit ${t}: backed up ${JSON.stringify(a)}, restored ${JSON.stringify(actual.audits[t] ?? null)}`);
	}
	return diffs;
}
