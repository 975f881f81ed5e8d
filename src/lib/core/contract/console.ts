/**
 * The authority console's endpoints (src/routes/api/v1/staff/session and console/*): request and response
 * shapes, once, for the route handlers and the console client (client/console/console-client.ts, which
 * validates every answer with them). Rule documents are checked by core/rules/rules-schema.ts on the server;
 * the risk-area body by server/recolour/risk-areas.ts (its field codes are the console form's).
 */
import * as v from 'valibot';
import { AreaPlaceSchema } from './console-map.js';
import { COLOURS } from '../claims.js';
import { parseIsoTime } from '../iso-time.js';
import type { RuleSet } from '../rules/rules-schema.js';
import { EntryPolicySchema } from './entry-policy.js';
import { EnrolmentWithCodeSchema } from './enrolment.js';
import { RecolouredSchema } from './shared.js';
import { STAFF_ROLES } from '../staff-roles.js';
import { VENUE_KINDS } from '../venue-kinds.js';

// ── POST / GET /api/v1/staff/session ───────────────────────────────────────────────────────────────────
export const StaffSignInRequestSchema = v.object({ username: v.string(), password: v.string() });
export type StaffSignInRequest = v.InferOutput<typeof StaffSignInRequestSchema>;
export const StaffSignInResponseSchema = v.object({ expiresAt: v.number() });
export type StaffSignInResponse = v.InferOutput<typeof StaffSignInResponseSchema>;
export const StaffSessionSchema = v.object({
	username: v.string(),
	expiresAt: v.number(),
	/** core/staff-roles.ts: the console hides what the role may not do (the server refuses it anyway) */
	role: v.picklist(STAFF_ROLES)
});
export type StaffSession = v.InferOutput<typeof StaffSessionSchema>;

// ── GET / PUT /api/v1/console/rules, POST /api/v1/console/rules/preview (body: a tongxing-rules/1 doc) ────
export const ActiveRulesSchema = v.object({
	/** the tongxing-rules/1 document (core/rules/rules-schema.ts); the console shows it as JSON and reads its version */
	rules: v.custom<RuleSet>((x) => typeof x === 'object' && x !== null && typeof (x as { version?: unknown }).version === 'string'),
	savedAt: v.nullable(v.string()),
	savedBy: v.nullable(v.string()),
	builtIn: v.boolean()
});
export type ActiveRules = v.InferOutput<typeof ActiveRulesSchema>;
const colourCounts = v.object(
	Object.fromEntries(COLOURS.map((c) => [c, v.number()])) as Record<(typeof COLOURS)[number], v.NumberSchema<undefined>>
);
export const RulesPreviewSchema = v.object({
	total: v.number(),
	changed: v.number(),
	transitions: v.record(v.string(), v.number()),
	before: colourCounts,
	after: colourCounts,
	fromVersion: v.string(),
	toVersion: v.string()
});
export type RulesPreview = v.InferOutput<typeof RulesPreviewSchema>;
export const SavedRulesSchema = v.object({ version: v.string(), recoloured: RecolouredSchema });
export type SavedRules = v.InferOutput<typeof SavedRulesSchema>;

// ── GET / POST /api/v1/console/risk-areas, POST /api/v1/console/risk-areas/[id]/end ────────────────────
export const RISK_LEVELS = ['high', 'medium'] as const;
export const RiskShapeSchema = v.variant('type', [
	v.object({ type: v.literal('polygon'), ring: v.array(v.strictTuple([v.number(), v.number()])) }),
	v.object({ type: v.literal('cells'), cells: v.array(v.string()) })
]);
export const RiskAreaSchema = v.object({
	id: v.string(),
	name: v.string(),
	level: v.picklist(RISK_LEVELS),
	shape: RiskShapeSchema,
	/** ISO 8601 */
	from: v.string(),
	until: v.nullable(v.string()),
	active: v.boolean(),
	createdBy: v.string(),
	/** where it is (district, centre, area), for lists that should not say "polygon, 5 vertices" */
	place: v.optional(AreaPlaceSchema)
});
export type RiskArea = v.InferOutput<typeof RiskAreaSchema>;
export const RiskAreasResponseSchema = v.object({ areas: v.array(RiskAreaSchema) });
export type RiskAreasResponse = v.InferOutput<typeof RiskAreasResponseSchema>;
/** What the console form sends; the server's parseRiskArea checks each field with its own codes. */
export const RiskAreaRequestSchema = v.object({
	name: v.string(),
	level: v.picklist(RISK_LEVELS),
	polygon: v.optional(v.array(v.strictTuple([v.number(), v.number()]))),
	cells: v.optional(v.array(v.string())),
	from: v.string(),
	until: v.optional(v.nullable(v.string())),
	/** a reason code (core/staff-reasons.ts), checked by the proposals service */
	reasonCode: v.optional(v.string()),
	note: v.optional(v.string()),
	/** over the approval threshold: take effect at once, lapse unless approved in time */
	urgent: v.optional(v.boolean())
});
export type RiskAreaRequest = v.InferOutput<typeof RiskAreaRequestSchema>;
/** `until`: an ISO 8601 time with a zone (absent: now); a bad one is field error `time/format`. */
export const EndRiskAreaRequestSchema = v.object({
	until: v.optional(
		v.pipe(
			v.string('time/format'),
			v.check((s) => !Number.isNaN(parseIsoTime(s)), 'time/format')
		)
	),
	reasonCode: v.optional(v.string()),
	note: v.optional(v.string())
});
export type EndRiskAreaRequest = v.InferOutput<typeof EndRiskAreaRequestSchema>;
export const AreaOutcomeSchema = v.object({ id: v.string(), recoloured: RecolouredSchema });
export type AreaOutcome = v.InferOutput<typeof AreaOutcomeSchema>;

// ── GET /api/v1/console/venues, POST /api/v1/console/venues/[id]/guards ───────────────────────────────
export const VenueSummarySchema = v.object({
	id: v.string(),
	name: v.string(),
	region: v.string(),
	policy: EntryPolicySchema,
	/** migration 027 */
	kind: v.picklist(VENUE_KINDS),
	guards: v.number()
});
export type VenueSummary = v.InferOutput<typeof VenueSummarySchema>;
export const VenuesResponseSchema = v.object({ venues: v.array(VenueSummarySchema) });
export type VenuesResponse = v.InferOutput<typeof VenuesResponseSchema>;
export { EnrolmentWithCodeSchema as GuardEnrolmentSchema };

// ── GET /api/v1/console/credentials, POST /api/v1/console/{guards,source-keys}/[id]/revoke (issue 13) ───────
export const CredentialStatusSchema = v.picklist(['active', 'revoked']);
export const GuardDeviceSummarySchema = v.object({
	id: v.string(),
	venueId: v.string(),
	venueName: v.string(),
	/** ms */
	enrolledAt: v.number(),
	/** ms: when its newest scan upload arrived; null when it never uploaded */
	lastSyncAt: v.nullable(v.number()),
	status: CredentialStatusSchema,
	revokedAt: v.nullable(v.number()),
	/** a staff username, or `cli` */
	revokedBy: v.nullable(v.string())
});
export type GuardDeviceSummary = v.InferOutput<typeof GuardDeviceSummarySchema>;
export const SourceKeySummarySchema = v.object({
	id: v.string(),
	source: v.string(),
	createdAt: v.number(),
	status: CredentialStatusSchema,
	revokedAt: v.nullable(v.number()),
	revokedBy: v.nullable(v.string())
});
export type SourceKeySummary = v.InferOutput<typeof SourceKeySummarySchema>;
export const CredentialsResponseSchema = v.object({
	guards: v.array(GuardDeviceSummarySchema),
	sourceKeys: v.array(SourceKeySummarySchema)
});
export type CredentialsResponse = v.InferOutput<typeof CredentialsResponseSchema>;
export const RevokedSchema = v.object({ id: v.string(), revokedAt: v.number() });
export type Revoked = v.InferOutput<typeof RevokedSchema>;

// ── POST /api/v1/console/imports?source=&kind=[&encoding=] (body: the file) ───────────────────────────
export const ImportResultSchema = v.object({ kind: v.string(), rows: v.number(), recoloured: RecolouredSchema });
export type ImportResult = v.InferOutput<typeof ImportResultSchema>;

// ── GET /api/v1/console/member-links, POST …/[id]/approve, POST …/[id]/reject ──────────────────────────
export const StaffMemberLinkSchema = v.object({
	linkId: v.string(),
	adderName: v.string(),
	maskedName: v.string(),
	idMasked: v.string(),
	/** the household register knew this ID with this name when the request was made */
	registerMatch: v.boolean(),
	note: v.nullable(v.string()),
	createdAt: v.number()
});
export type StaffMemberLink = v.InferOutput<typeof StaffMemberLinkSchema>;
export const StaffMemberLinksResponseSchema = v.object({ links: v.array(StaffMemberLinkSchema) });
export type StaffMemberLinksResponse = v.InferOutput<typeof StaffMemberLinksResponseSchema>;
export const ApproveMemberLinkRequestSchema = v.object({ evidence: v.string() });
export type ApproveMemberLinkRequest = v.InferOutput<typeof ApproveMemberLinkRequestSchema>;
export const RejectMemberLinkRequestSchema = v.object({ note: v.optional(v.string()) });
export type RejectMemberLinkRequest = v.InferOutput<typeof RejectMemberLinkRequestSchema>;
export const MemberLinkDecisionSchema = v.object({ linkId: v.string(), status: v.picklist(['confirmed', 'rejected'] as const) });
export type MemberLinkDecision = v.InferOutput<typeof MemberLinkDecisionSchema>;
