/**
 * The audit viewer (GET /api/v1/console/audit, /console/audit) and its CSV export: the filters as the page sends
 * them (query strings) checked here, one page of the unified audit (store/audit-log.ts), and the export as CSV
 * pages read one after another. Reading the audit shows who looked up whom: an export is itself recorded.
 */
import {
	AUDIT_MAX_PAGE,
	AUDIT_PAGE_SIZE,
	AUDIT_SOURCES,
	type AuditEntry,
	type AuditPage,
	type AuditSource
} from '../../core/contract/console-overview.js';
import { DomainError } from '../domain-error.js';
import type { Db } from '../store/db.js';
import { auditLogPage, AUDIT_SOURCE_ORDINALS, type AuditCursor, type AuditLogFilter, type AuditLogRow } from '../store/audit-log.js';
import { staffById, staffByUsername } from '../store/staff.js';

export interface AuditRequest {
	filter: AuditLogFilter;
	limit: number;
	before?: AuditCursor;
}

const bad = (field: string, detail: string) => new DomainError('audit/bad-filter', { detail, params: { field } });

function time(q: URLSearchParams, name: string): number | undefined {
	const raw = q.get(name);
	if (raw === null || raw === '') return undefined;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < 0) throw bad(name, `${name} must be a time in ms`);
	return n;
}

function text(q: URLSearchParams, name: string): string | undefined {
	const raw = q.get(name)?.trim();
	if (!raw) return undefined;
	if (raw.length > 200) throw bad(name, `${name} is longer than 200 characters`);
	return raw;
}

/** The viewer's query string → the filter (a bad value is `audit/bad-filter` naming the field). */
export function readAuditRequest(q: URLSearchParams): AuditRequest {
	const from = time(q, 'from');
	const until = time(q, 'until');
	if (from !== undefined && until !== undefined && until <= from) throw bad('until', 'until must be after from');
	const sourceRaw = text(q, 'source');
	let sources: AuditSource[] | undefined;
	if (sourceRaw !== undefined) {
		sources = sourceRaw.split(',') as AuditSource[];
		if (sources.some((s) => !(AUDIT_SOURCES as readonly string[]).includes(s)))
			throw bad('source', `source is one of ${AUDIT_SOURCES.join(', ')}`);
	}
	const limitRaw = q.get('limit');
	const limit = limitRaw === null || limitRaw === '' ? AUDIT_PAGE_SIZE : Number(limitRaw);
	if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_PAGE) throw bad('limit', `limit is 1 to ${AUDIT_MAX_PAGE}`);
	const beforeRaw = q.get('before');
	let before: AuditCursor | undefined;
	if (beforeRaw) {
		const m = /^(\d{1,15})\.([0-4])\.(\d{1,15})$/.exec(beforeRaw);
		if (!m) throw bad('before', 'before is the `next` of the previous page');
		before = { at: Number(m[1]), source: Number(m[2]), id: Number(m[3]) };
	}
	return {
		filter: { actor: text(q, 'actor'), action: text(q, 'action'), personHash: text(q, 'person'), from, until, sources },
		limit,
		before
	};
}

/**
 * The older audits (proposal and member-link steps) name staff as `staff/<id>`, staff_audit by username: a filter
 * by username matches both spellings, and the list shows the username.
 */
async function withStaffIds(db: Db, filter: AuditLogFilter): Promise<AuditLogFilter> {
	if (typeof filter.actor !== 'string') return filter;
	const row = await staffByUsername(db, filter.actor);
	return row ? { ...filter, actor: [filter.actor, `staff/${row.id}`] } : filter;
}

async function withUsernames(db: Db, rows: AuditLogRow[]): Promise<AuditLogRow[]> {
	const names = new Map<string, string>();
	for (const r of rows) {
		const m = /^staff\/(.+)$/.exec(r.actor);
		if (!m || names.has(r.actor)) continue;
		const s = await staffById(db, m[1]!);
		names.set(r.actor, s?.username ?? r.actor);
	}
	return rows.map((r) => (names.has(r.actor) ? { ...r, actor: names.get(r.actor)! } : r));
}

const cursorOf = (r: AuditLogRow) => `${r.at}.${AUDIT_SOURCE_ORDINALS[r.source]}.${r.id}`;

function entryOf(r: AuditLogRow): AuditEntry {
	return {
		key: `${r.source}:${r.id}`,
		source: r.source,
		at: r.at,
		actor: r.actor,
		action: r.action,
		personHash: r.person_hash,
		target: r.target,
		purpose: r.purpose,
		detail: r.detail
	};
}

export async function auditPage(db: Db, req: AuditRequest): Promise<AuditPage> {
	// one more than asked: whether there is a next page, without a count over the whole audit
	const rows = await auditLogPage(db, await withStaffIds(db, req.filter), req.limit + 1, req.before);
	const page = await withUsernames(db, rows.slice(0, req.limit));
	return { entries: page.map(entryOf), next: rows.length > req.limit ? cursorOf(page[page.length - 1]!) : null };
}

const CSV_COLUMNS = ['time', 'source', 'actor', 'action', 'person_hash', 'target', 'purpose', 'detail'] as const;

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvField(value: string | number | null): string {
	if (value === null) return '';
	let s = String(value);
	if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole filtered audit as CSV (UTF-8, header line, ISO times in UTC), read AUDIT_MAX_PAGE rows at a time. */
export async function* auditCsv(db: Db, filter: AuditLogFilter): AsyncGenerator<string> {
	yield `${CSV_COLUMNS.join(',')}\r\n`;
	const f = await withStaffIds(db, filter);
	let before: AuditCursor | undefined;
	for (;;) {
		const rows = await withUsernames(db, await auditLogPage(db, f, AUDIT_MAX_PAGE, before));
		if (!rows.length) return;
		yield (
			rows
				.map((r) =>
					[new Date(r.at).toISOString(), r.source, r.actor, r.action, r.person_hash, r.target, r.purpose, r.detail].map(csvField).join(',')
				)
				.join('\r\n') + '\r\n'
		);
		if (rows.length < AUDIT_MAX_PAGE) return;
		const last = rows[rows.length - 1]!;
		before = { at: last.at, source: AUDIT_SOURCE_ORDINALS[last.source], id: last.id };
	}
}
