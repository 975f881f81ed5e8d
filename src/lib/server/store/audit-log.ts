/**
 * The audit viewer's one list over every append-only audit (read-only): staff_audit (the console's own record,
 * migration 020) and the older ones it unifies — proposal_events (each step of a colour-changing proposal),
 * id_number_reads (operators' colour reads by ID number), member_link_events (member-link steps) and the staff
 * decisions in colour_events (a proposal's recolour). Each row is normalised to (source, id, at, actor, action,
 * person, target, purpose, detail); pages newest first, keyset on (at, source, id) so paging and the CSV export
 * read in bounded memory.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db.js';

/** Ordinals of the sources, in the cursor and the sort (ties on `at`). */
export const AUDIT_SOURCE_ORDINALS = { staff: 0, proposal: 1, 'id-read': 2, 'member-link': 3, colour: 4 } as const;
export type AuditSourceName = keyof typeof AUDIT_SOURCE_ORDINALS;

export interface AuditLogFilter {
	/** one actor, or any of several spellings of one (a username and the older audits' `staff/<id>`) */
	actor?: string | readonly string[];
	/** exact, or a prefix ending in '.' */
	action?: string;
	personHash?: string;
	/** inclusive, ms */
	from?: number;
	/** exclusive, ms */
	until?: number;
	sources?: readonly AuditSourceName[];
}

export interface AuditLogRow {
	source: AuditSourceName;
	id: number;
	at: number;
	actor: string;
	action: string;
	person_hash: string | null;
	target: string | null;
	purpose: string | null;
	detail: string | null;
}

export interface AuditCursor {
	at: number;
	source: number;
	id: number;
}

const SELECTS: Record<AuditSourceName, RawBuilder<unknown>> = {
	staff: sql`select 0 as src, id, at, actor, action, person_hash, target, purpose, detail_json as detail from staff_audit`,
	proposal: sql`select 1 as src, id, at, actor, 'proposal.' || action as action, cast(null as text) as person_hash, proposal_id as target,
		cast(null as text) as purpose, reason_code || coalesce(': ' || note, '') as detail from proposal_events`,
	'id-read': sql`select 2 as src, id, at, actor, 'id.read' as action, ref as person_hash, read_id as target, purpose,
		cast(null as text) as detail from id_number_reads`,
	'member-link': sql`select 3 as src, id, at, actor, 'member-link.' || action as action, cast(null as text) as person_hash,
		link_id as target, cast(null as text) as purpose, note as detail from member_link_events`,
	colour: sql`select 4 as src, id, at, actor, 'colour.decide' as action, cast(null as text) as person_hash, proposal_id as target,
		cast(null as text) as purpose, colour || coalesce(' ' || reason_code, '') as detail from colour_events where proposal_id is not null`
};
const NAMES = Object.keys(AUDIT_SOURCE_ORDINALS) as AuditSourceName[];

/** One page, newest first; `before`: the cursor of the last row of the previous page. */
export async function auditLogPage(db: Db, filter: AuditLogFilter, limit: number, before?: AuditCursor): Promise<AuditLogRow[]> {
	const sources = NAMES.filter((n) => !filter.sources || filter.sources.includes(n));
	if (!sources.length) return [];
	const union = sql.join(
		sources.map((s) => SELECTS[s]),
		sql` union all `
	);
	const where: RawBuilder<unknown>[] = [sql`1 = 1`];
	if (typeof filter.actor === 'string') where.push(sql`actor = ${filter.actor}`);
	else if (filter.actor !== undefined) where.push(filter.actor.length ? sql`actor in (${sql.join([...filter.actor])})` : sql`1 = 0`);
	if (filter.action !== undefined)
		where.push(
			filter.action.endsWith('.') ? sql`action like ${`${filter.action.replace(/[%_\\]/g, '')}%`}` : sql`action = ${filter.action}`
		);
	if (filter.personHash !== undefined) where.push(sql`person_hash = ${filter.personHash}`);
	if (filter.from !== undefined) where.push(sql`at >= ${filter.from}`);
	if (filter.until !== undefined) where.push(sql`at < ${filter.until}`);
	if (before !== undefined)
		where.push(
			sql`(at < ${before.at} or (at = ${before.at} and (src < ${before.source} or (src = ${before.source} and id < ${before.id}))))`
		);
	const { rows } = await sql<Omit<AuditLogRow, 'source'> & { src: number | string }>`select * from (${union}) u where ${sql.join(
		where,
		sql` and `
	)} order by at desc, src desc, id desc limit ${limit}`.execute(db);
	return rows.map((r) => ({
		source: NAMES[Number(r.src)]!,
		id: Number(r.id),
		at: Number(r.at),
		actor: r.actor,
		action: r.action,
		person_hash: r.person_hash,
		target: r.target,
		purpose: r.purpose,
		detail: r.detail
	}));
}
