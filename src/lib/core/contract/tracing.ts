/**
 * Contact tracing in the console (issue 15, src/routes/api/v1/console/tracing/*): the confirmed cases to trace,
 * a traced case's co-visitors with their evidence, and marking selected people as close or secondary contacts.
 * People are named by their ref (the keyed hash of the ID number, never the number) and masked identity only.
 * Times are ISO 8601 strings.
 */
import * as v from 'valibot';

export const EVIDENCE_KINDS = ['venue', 'gps', 'cell'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const CONTACT_KINDS = ['close', 'secondary'] as const;
export type ContactKindName = (typeof CONTACT_KINDS)[number];

/** The longest window one query may cover (days), and the most people one mark may name. */
export const TRACING_MAX_WINDOW_DAYS = 21;
export const TRACING_MAX_MARK = 500;
export const TRACING_PURPOSE_MAX = 500;

const WindowSchema = v.object({ from: v.string(), until: v.string() });

export const TracingCaseSchema = v.object({
	/** the case record's id (cases.id) */
	id: v.string(),
	ref: v.string(),
	/** masked name and ID number of a registered resident, null when the person has no account here */
	name: v.nullable(v.string()),
	idMasked: v.nullable(v.string()),
	confirmedAt: v.string(),
	onsetAt: v.nullable(v.string()),
	isolatedAt: v.nullable(v.string()),
	releasedAt: v.nullable(v.string()),
	/** the case's infectious window under the active rules (core/rules/infectious-window.ts), capped */
	window: WindowSchema
});
export type TracingCase = v.InferOutput<typeof TracingCaseSchema>;

// ── GET /api/v1/console/tracing/cases ───────────────────────────────────────────────────────────────────
export const TracingCasesResponseSchema = v.object({ cases: v.array(TracingCaseSchema) });
export type TracingCasesResponse = v.InferOutput<typeof TracingCasesResponseSchema>;

// ── POST /api/v1/console/tracing/query ──────────────────────────────────────────────────────────────────
export const TracingQueryRequestSchema = v.object({
	caseId: v.string(),
	/** ISO 8601; both absent: the case's infectious window */
	from: v.optional(v.nullable(v.string())),
	until: v.optional(v.nullable(v.string())),
	/** why the officer reads these people's movements (required; audited) */
	purpose: v.string()
});
export type TracingQueryRequest = v.InferOutput<typeof TracingQueryRequestSchema>;

export const EvidenceSchema = v.object({
	kind: v.picklist(EVIDENCE_KINDS),
	/** a venue's name, a position (lat, lon to 3 decimals, about 100 m) or a carrier cell id */
	place: v.string(),
	overlapMinutes: v.number(),
	from: v.string(),
	until: v.string()
});
export type Evidence = v.InferOutput<typeof EvidenceSchema>;

export const CoVisitorSchema = v.object({
	ref: v.string(),
	name: v.nullable(v.string()),
	idMasked: v.nullable(v.string()),
	/** the current colour, null when never evaluated */
	colour: v.nullable(v.string()),
	/** already named as a contact of this case: 'close' / 'secondary', else null */
	contact: v.nullable(v.picklist(CONTACT_KINDS)),
	overlapMinutes: v.number(),
	first: v.string(),
	last: v.string(),
	evidence: v.array(EvidenceSchema)
});
export type CoVisitor = v.InferOutput<typeof CoVisitorSchema>;

export const TracingResultSchema = v.object({
	case: TracingCaseSchema,
	window: WindowSchema,
	people: v.array(CoVisitorSchema),
	/** a bound was reached (case points, candidates or rows): the list may be incomplete; narrow the window */
	truncated: v.boolean()
});
export type TracingResult = v.InferOutput<typeof TracingResultSchema>;

// ── POST /api/v1/console/tracing/contacts ───────────────────────────────────────────────────────────────
export const MarkContactsRequestSchema = v.object({
	caseId: v.string(),
	kind: v.picklist(CONTACT_KINDS),
	/** each person's ref and the exposure time (ISO 8601: the end of their latest overlap with the case) */
	people: v.array(v.object({ ref: v.string(), exposedAt: v.string() })),
	reasonCode: v.string(),
	note: v.optional(v.string())
});
export type MarkContactsRequest = v.InferOutput<typeof MarkContactsRequestSchema>;
