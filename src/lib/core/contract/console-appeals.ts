/**
 * Appeals to an outcome and person lookup (issue 15): the console's endpoints under /api/v1/console/appeals and
 * /api/v1/console/people. The server's services: server/appeals/. Identity is masked everywhere (masked name and
 * ID number, a prefix of the keyed hash); dates are Unix milliseconds.
 */
import * as v from 'valibot';
import { APPEAL_OUTCOMES, APPEAL_STATUSES } from './resident.js';
import { ActionOutcomeSchema } from './proposals.js';

export const MaskedPersonSchema = v.object({
	/** the first 10 characters of the keyed hash of the ID number: enough to tell people apart in the audit */
	ref: v.string(),
	nameMasked: v.string(),
	idMasked: v.string(),
	region: v.string()
});

export const ConsoleAppealSchema = v.object({
	id: v.string(),
	person: MaskedPersonSchema,
	text: v.string(),
	reason: v.nullable(v.string()),
	status: v.picklist(APPEAL_STATUSES),
	outcome: v.nullable(v.picklist(APPEAL_OUTCOMES)),
	resolution: v.nullable(v.string()),
	proposalId: v.nullable(v.string()),
	resolvedBy: v.nullable(v.string()),
	resolvedAt: v.nullable(v.number()),
	createdAt: v.number(),
	updatedAt: v.number(),
	/** still to handle and filed more than 24 h ago (the service level) */
	overdue: v.boolean()
});
export type ConsoleAppeal = v.InferOutput<typeof ConsoleAppealSchema>;

export const AppealQueueSchema = v.object({
	appeals: v.array(ConsoleAppealSchema),
	counts: v.object({ open: v.number(), inReview: v.number(), overdue: v.number() }),
	/** the service level in hours */
	overdueHours: v.number()
});
export type AppealQueue = v.InferOutput<typeof AppealQueueSchema>;

/** A fact behind a reason: what it is, when, where, and where it came from. */
export const FactViewSchema = v.object({
	/** test | case | contact | quarantine | visit | scan | stay | declaration | area | case-presence | other */
	kind: v.string(),
	id: v.string(),
	at: v.nullable(v.number()),
	until: v.optional(v.nullable(v.number())),
	/** test result, contact kind (close / secondary) */
	value: v.optional(v.nullable(v.string())),
	place: v.optional(v.nullable(v.string())),
	/** points in a stay, facts of another person */
	count: v.optional(v.number()),
	/** the data source: health | public-security | carrier | venue | guard | resident | authority */
	source: v.string(),
	receivedAt: v.optional(v.nullable(v.number())),
	/** the case a contact record names: when it was confirmed */
	caseConfirmedAt: v.optional(v.nullable(v.number()))
});
export type FactView = v.InferOutput<typeof FactViewSchema>;

export const ReasonWithFactsSchema = v.object({
	reason: v.string(),
	at: v.number(),
	endsAt: v.optional(v.nullable(v.number())),
	place: v.optional(v.nullable(v.object({ kind: v.string(), name: v.string() }))),
	facts: v.array(FactViewSchema)
});
export type ReasonWithFacts = v.InferOutput<typeof ReasonWithFactsSchema>;

export const CorrectableRecordSchema = v.object({
	kind: v.picklist(['test', 'case', 'contact', 'quarantine']),
	id: v.string(),
	at: v.number(),
	until: v.optional(v.nullable(v.number())),
	value: v.optional(v.nullable(v.string())),
	receivedAt: v.number(),
	source: v.string(),
	caseConfirmedAt: v.optional(v.nullable(v.number()))
});
export type CorrectableRecord = v.InferOutput<typeof CorrectableRecordSchema>;

export const PersonDossierSchema = v.object({
	person: MaskedPersonSchema,
	colour: v.nullable(v.object({ colour: v.string(), reasons: v.array(v.string()), updatedAt: v.number(), ruleVersion: v.string() })),
	reasons: v.array(ReasonWithFactsSchema),
	records: v.array(CorrectableRecordSchema),
	codes: v.array(
		v.object({
			codeId: v.string(),
			colour: v.string(),
			kind: v.string(),
			iat: v.number(),
			exp: v.number(),
			status: v.string(),
			revokedAt: v.nullable(v.number())
		})
	),
	history: v.array(
		v.object({ at: v.number(), colour: v.string(), reasons: v.array(v.string()), actor: v.string(), reasonCode: v.nullable(v.string()) })
	),
	corrections: v.array(
		v.object({
			at: v.number(),
			kind: v.string(),
			factId: v.string(),
			before: v.unknown(),
			after: v.unknown(),
			why: v.string(),
			by: v.string()
		})
	),
	appeals: v.array(ConsoleAppealSchema)
});
export type PersonDossier = v.InferOutput<typeof PersonDossierSchema>;

export const AppealDetailSchema = v.object({ appeal: ConsoleAppealSchema, dossier: PersonDossierSchema });
export type AppealDetail = v.InferOutput<typeof AppealDetailSchema>;

// ── outcomes ───────────────────────────────────────────────────────────────────────────────────────────
export const FactChangeRequestSchema = v.object({
	kind: v.string(),
	id: v.string(),
	/** 'remove', or a test's corrected result ('negative' / 'positive') */
	action: v.string()
});
export const CorrectFactsRequestSchema = v.object({
	changes: v.array(FactChangeRequestSchema),
	/** why the facts were wrong (recorded with each correction) */
	why: v.string(),
	/** what the resident reads */
	resolution: v.string(),
	reasonCode: v.string(),
	note: v.optional(v.string())
});
export type CorrectFactsRequest = v.InferInput<typeof CorrectFactsRequestSchema>;

export const AppealOverrideRequestSchema = v.object({
	colour: v.string(),
	until: v.optional(v.nullable(v.string())),
	resolution: v.string(),
	reasonCode: v.string(),
	note: v.optional(v.string())
});
export type AppealOverrideRequest = v.InferInput<typeof AppealOverrideRequestSchema>;

export const RejectAppealRequestSchema = v.object({ resolution: v.string() });
export type RejectAppealRequest = v.InferInput<typeof RejectAppealRequestSchema>;

/** What an outcome answers: the appeal as it now stands, and the proposal when one carries it out. */
export const AppealOutcomeSchema = v.object({
	appeal: ConsoleAppealSchema,
	action: v.optional(ActionOutcomeSchema)
});
export type AppealOutcomeView = v.InferOutput<typeof AppealOutcomeSchema>;

// ── POST /api/v1/console/people/lookup ─────────────────────────────────────────────────────────────────
export const PersonLookupRequestSchema = v.object({
	/** 'id' (with idType) or 'phone' */
	by: v.string(),
	idType: v.optional(v.string()),
	value: v.string(),
	purpose: v.string()
});
export type PersonLookupRequest = v.InferInput<typeof PersonLookupRequestSchema>;
export const PersonLookupResponseSchema = v.object({ people: v.array(PersonDossierSchema) });
export type PersonLookupResponse = v.InferOutput<typeof PersonLookupResponseSchema>;
