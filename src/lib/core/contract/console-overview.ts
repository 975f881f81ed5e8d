/**
 * GET /api/v1/console/overview (the console's front page, src/routes/console/+page.svelte) and
 * GET /api/v1/console/audit (the audit viewer, /console/audit; `?format=csv` answers the same rows as CSV).
 * The overview is served from the aggregates the server keeps (server/store/overview.ts), never a scan of the
 * rows themselves; every hourly series covers the last OVERVIEW_HOURS hours, oldest first.
 */
import * as v from 'valibot';

export const OVERVIEW_HOURS = 24;

const count = v.pipe(v.number(), v.integer());
const ms = v.number();

export const ConsoleOverviewSchema = v.object({
	/** the server's clock when it answered (ms) */
	at: ms,
	/** start (ms) of each hour of the series, oldest first (OVERVIEW_HOURS of them, the current hour last) */
	hours: v.array(ms),
	/** residents per colour now */
	colours: v.record(v.string(), count),
	/** residents per colour at the end of each hour of `hours` (the current hour: now) */
	colourSeries: v.array(v.object({ hour: ms, counts: v.record(v.string(), count) })),
	/** colour changes of residents per hour and rule reason (`none`: back to green with no reason); zero rows omitted */
	recolours: v.array(v.object({ hour: ms, reason: v.string(), count })),
	pending: v.object({ proposals: count, appeals: count, oldestAppealAt: v.nullable(ms) }),
	/** imports (files and pushes) in the last OVERVIEW_HOURS hours, per kind */
	imports: v.array(v.object({ kind: v.string(), records: count, runs: count })),
	/** scans made in the last OVERVIEW_HOURS hours (scanner's clock), per venue, most first */
	scansByVenue: v.array(v.object({ venueId: v.string(), name: v.string(), count })),
	/** scans made per hour of `hours` */
	scansByHour: v.array(count),
	/** scans made in the last OVERVIEW_HOURS hours by the verdict the guard saw */
	verdicts: v.object({ valid: count, invalid: count, unverifiable: count }),
	/** active guard devices, each with its newest scan the server has received (null: none yet) */
	devices: v.array(
		v.object({ id: v.string(), venueId: v.string(), venueName: v.string(), receivedAt: v.nullable(ms), scannedAt: v.nullable(ms) })
	),
	/** status-list entries stored per region (revoked codes not yet past their grace) */
	statusList: v.array(v.object({ region: v.string(), entries: count }))
});
export type ConsoleOverview = v.InferOutput<typeof ConsoleOverviewSchema>;

// ── GET /api/v1/console/audit ───────────────────────────────────────────────────────────────────────────
/** Where an audit entry comes from: the console's own record, or one of the older append-only audits it unifies. */
export const AUDIT_SOURCES = ['staff', 'proposal', 'id-read', 'member-link', 'colour'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export const AuditEntrySchema = v.object({
	/** unique across sources: `${source}:${id}`; the page cursor is the last entry's (at, key) */
	key: v.string(),
	source: v.picklist(AUDIT_SOURCES),
	at: ms,
	actor: v.string(),
	/** dotted action name: staff_audit's own, or `proposal.approve`, `id.read`, `member-link.approve`, `colour.decide` */
	action: v.string(),
	personHash: v.nullable(v.string()),
	target: v.nullable(v.string()),
	purpose: v.nullable(v.string()),
	detail: v.nullable(v.string())
});
export type AuditEntry = v.InferOutput<typeof AuditEntrySchema>;

export const AuditPageSchema = v.object({
	entries: v.array(AuditEntrySchema),
	/** pass as `before` for the next (older) page; null: this was the last */
	next: v.nullable(v.string())
});
export type AuditPage = v.InferOutput<typeof AuditPageSchema>;

/** Query parameters of GET /api/v1/console/audit (all optional; times are ms). */
export interface AuditQuery {
	actor?: string;
	/** exact, or a prefix ending in '.' */
	action?: string;
	person?: string;
	from?: string;
	until?: string;
	source?: string;
	before?: string;
	limit?: string;
	format?: 'csv';
}
export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_MAX_PAGE = 500;
