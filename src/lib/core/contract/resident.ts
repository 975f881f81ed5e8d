/**
 * The resident app's endpoints (src/routes/api/v1/auth, me, declarations, appeals, config): request and
 * response shapes, once, for the route handlers (which type their answers with them) and the resident client
 * (client/resident/resident-api.ts, which validates every answer with them). The declaration body itself is
 * core/declaration/schema.ts. Request schemas describe what the app sends; the services keep their own field
 * checks and error codes (server/issuer, server/auth).
 */
import * as v from 'valibot';
import type { DeclarationInput } from '../declaration/schema.js';
import { ColourSchema } from './shared.js';

// ── POST /api/v1/auth/otp ───────────────────────────────────────────────────────────────────────────────
export const OtpRequestSchema = v.object({ phone: v.string() });
export type OtpRequest = v.InferOutput<typeof OtpRequestSchema>;
export const OtpResponseSchema = v.object({ challengeId: v.string(), expiresAt: v.number() });
export type OtpResponse = v.InferOutput<typeof OtpResponseSchema>;

// ── POST /api/v1/auth/session (DELETE: 204) ─────────────────────────────────────────────────────────────
export const SessionRequestSchema = v.object({ challengeId: v.string(), phone: v.string(), code: v.string() });
export type SessionRequest = v.InferOutput<typeof SessionRequestSchema>;
export const SessionResponseSchema = v.object({ accountId: v.string(), expiresAt: v.number() });
export type SessionResponse = v.InferOutput<typeof SessionResponseSchema>;

// ── PUT /api/v1/me/device (204) ─────────────────────────────────────────────────────────────────────────
export const DeviceRequestSchema = v.object({ publicKey: v.string() });
export type DeviceRequest = v.InferOutput<typeof DeviceRequestSchema>;

// ── GET /api/v1/me/codes (ETag; 304 without a body) ─────────────────────────────────────────────────────
/** One step back to green, as the rules engine computes it (core/rules/evaluate.ts PathStep); times in Unix seconds. */
export const PathStepSchema = v.variant('kind', [
	v.object({
		reason: v.string(),
		kind: v.literal('negative-tests'),
		count: v.number(),
		apartHours: v.number(),
		withinDays: v.number(),
		after: v.number(),
		done: v.number()
	}),
	v.object({ reason: v.string(), kind: v.literal('wait-until'), until: v.number() }),
	v.object({ reason: v.string(), kind: v.literal('quarantine-ends'), until: v.number() }),
	v.object({ reason: v.string(), kind: v.literal('release'), until: v.optional(v.number()) })
]);
export type PathStepWire = v.InferOutput<typeof PathStepSchema>;
/**
 * What a reason rests on, from the person's own facts: the date of the event (Unix seconds) and, when the rule
 * knows one, the place by name (a risk area, a venue) — never anyone else's identity.
 */
export const ReasonDetailSchema = v.object({
	reason: v.string(),
	at: v.number(),
	place: v.optional(v.object({ kind: v.picklist(['risk-area', 'venue', 'near-venue', 'district']), name: v.string() })),
	/** when the reason ends by itself if nothing new happens (Unix seconds; null: never by itself, e.g. an undated release) */
	endsAt: v.optional(v.nullable(v.number())),
	/** the other regions whose facts this reason rests on (federation, docs/federation.md §Facts): GB/T 2260 code and name */
	sourceRegions: v.optional(v.array(v.object({ code: v.string(), name: v.optional(v.string()) })))
});
export type ReasonDetail = v.InferOutput<typeof ReasonDetailSchema>;
/** The decision behind the person's colour, explained: served beside the codes, never inside the signed code. */
export const ExplanationSchema = v.object({
	ruleVersion: v.string(),
	details: v.array(ReasonDetailSchema),
	path: v.array(PathStepSchema)
});
export type Explanation = v.InferOutput<typeof ExplanationSchema>;
export const MyCodeSchema = v.object({
	codeId: v.string(),
	credential: v.string(),
	colour: ColourSchema,
	reasons: v.array(v.string()),
	kind: v.string(),
	iat: v.number(),
	exp: v.number()
});
export type MyCode = v.InferOutput<typeof MyCodeSchema>;
export const MyPersonSchema = v.object({
	personId: v.string(),
	relation: v.picklist(['self', 'proxy']),
	maskedName: v.string(),
	idMasked: v.string(),
	codes: v.array(MyCodeSchema),
	declaration: v.nullable(v.object({ status: v.string(), submittedAt: v.number() })),
	/** why the colour and the way back to green (absent: not evaluated since the explanation was added) */
	explanation: v.optional(v.nullable(ExplanationSchema))
});
export type MyPerson = v.InferOutput<typeof MyPersonSchema>;
export const CodesResponseSchema = v.object({ people: v.array(MyPersonSchema), serverTime: v.number() });
export type CodesResponse = v.InferOutput<typeof CodesResponseSchema>;

// ── GET /api/v1/me/history[?personId=] ─────────────────────────────────────────────────────────────────
export const HistoryEntrySchema = v.object({
	at: v.number(),
	colour: ColourSchema,
	reasons: v.array(v.string()),
	ruleVersion: v.string(),
	actor: v.string(),
	/** a change decided by staff (an approved proposal, or an action under the approval threshold): its reason code (core/staff-reasons.ts) */
	staffDecision: v.optional(v.object({ proposalId: v.string(), reasonCode: v.string() })),
	/** each reason's date and place as decided then (absent for decisions recorded before migration 029) */
	details: v.optional(v.array(ReasonDetailSchema))
});
export type HistoryEntry = v.InferOutput<typeof HistoryEntrySchema>;
export const HistoryResponseSchema = v.object({ personId: v.string(), history: v.array(HistoryEntrySchema) });
export type HistoryResponse = v.InferOutput<typeof HistoryResponseSchema>;

// ── GET / POST /api/v1/me/members, DELETE /api/v1/me/members/[id] (204) ────────────────────────────────
/**
 * The evidence a member link is confirmed by (issuer/member-links.ts): the member's own phone (a one-time code
 * sent to it), the household register (same household, or the adder recorded as guardian), or a staff member
 * who records what they checked. Until then nothing of the member's colour is shown.
 */
export const MEMBER_EVIDENCE = ['phone', 'household', 'staff'] as const;
export type MemberEvidence = (typeof MEMBER_EVIDENCE)[number];
export const PendingLinkSchema = v.object({
	linkId: v.string(),
	maskedName: v.string(),
	idMasked: v.string(),
	requested: v.picklist(MEMBER_EVIDENCE),
	createdAt: v.number()
});
export type PendingLink = v.InferOutput<typeof PendingLinkSchema>;
export const MembersResponseSchema = v.object({
	members: v.array(v.object({ personId: v.string(), maskedName: v.string(), idMasked: v.string(), addedAt: v.number() })),
	pending: v.array(PendingLinkSchema),
	max: v.number()
});
export type MembersResponse = v.InferOutput<typeof MembersResponseSchema>;
export const AddMemberRequestSchema = v.object({
	name: v.string(),
	idType: v.optional(v.string()),
	idNumber: v.string(),
	evidence: v.object({ method: v.string(), phone: v.optional(v.string()), note: v.optional(v.string()) })
});
export type AddMemberRequest = v.InferOutput<typeof AddMemberRequestSchema>;
/**
 * The same shape (and, while pending, the same content) whether or not the ID is registered or held by others:
 * `pending` says only what happens next ("if the details match, a code was sent to the member's phone").
 */
export const MemberLinkOutcomeSchema = v.object({
	linkId: v.string(),
	status: v.picklist(['pending', 'confirmed'] as const),
	requested: v.picklist(MEMBER_EVIDENCE),
	personId: v.optional(v.string())
});
export type MemberLinkOutcome = v.InferOutput<typeof MemberLinkOutcomeSchema>;
export const AddMemberResponseSchema = MemberLinkOutcomeSchema;
export type AddMemberResponse = MemberLinkOutcome;

// ── POST /api/v1/me/member-links/[id]/confirm, DELETE /api/v1/me/member-links/[id] (the adder withdraws; 204) ──
export const ConfirmMemberLinkRequestSchema = v.object({ code: v.string() });
export type ConfirmMemberLinkRequest = v.InferOutput<typeof ConfirmMemberLinkRequestSchema>;

// ── GET /api/v1/me/links, DELETE /api/v1/me/links/[id] (204): who holds a link to me ─────────────────────
export const LinkToMeSchema = v.object({
	linkId: v.string(),
	/** the holder's masked name and ID number (their own self declaration's) */
	holderName: v.string(),
	holderIdMasked: v.string(),
	status: v.picklist(['pending', 'confirmed'] as const),
	/** confirmed: what confirmed it; pending: what was asked for; `declared`: added before consent was checked, on the holder's word */
	method: v.picklist([...MEMBER_EVIDENCE, 'declared'] as const),
	since: v.number()
});
export type LinkToMe = v.InferOutput<typeof LinkToMeSchema>;
export const LinksToMeResponseSchema = v.object({ links: v.array(LinkToMeSchema) });
export type LinksToMeResponse = v.InferOutput<typeof LinksToMeResponseSchema>;

// ── POST /api/v1/me/paper-code ─────────────────────────────────────────────────────────────────────────
export const PaperCodeRequestSchema = v.object({ personId: v.optional(v.string()) });
export type PaperCodeRequest = v.InferOutput<typeof PaperCodeRequestSchema>;
export const PaperCodeSchema = v.object({
	personId: v.string(),
	/** the QR text: TX1: + base45 of the credential */
	text: v.string(),
	colour: ColourSchema,
	reasons: v.array(v.string()),
	maskedName: v.string(),
	idSuffix: v.string(),
	iat: v.number(),
	exp: v.number()
});
export type PaperCode = v.InferOutput<typeof PaperCodeSchema>;

// ── POST /api/v1/declarations (body: core/declaration DeclarationInput), GET /api/v1/declarations/latest ──
/** What the form sends: DeclarationInput's fields as typed; validateDeclaration checks the values in the app and again on the server. */
export type DeclarationRequest = { [K in keyof DeclarationInput]?: unknown };
export const DeclarationOutcomeSchema = v.variant('status', [
	v.object({ status: v.literal('verified'), declarationId: v.string(), colour: ColourSchema, codesIssued: v.boolean() }),
	v.object({ status: v.literal('pending'), declarationId: v.string() })
]);
export type DeclarationOutcome = v.InferOutput<typeof DeclarationOutcomeSchema>;
/**
 * What a (re-)declaration starts from: the account's last declaration, if any, and the signed-in account's own
 * phone (in full: it is the number the resident signed in with; null when it cannot be opened).
 */
export const LatestDeclarationSchema = v.object({
	declaration: v.nullable(v.object({ id: v.string(), submittedAt: v.number(), status: v.string(), data: v.unknown() })),
	accountPhone: v.nullable(v.string())
});
export type LatestDeclaration = v.InferOutput<typeof LatestDeclarationSchema>;

// ── GET / POST /api/v1/appeals, GET /api/v1/appeals/[id] ───────────────────────────────────────────────
/** in-review: an outcome was proposed and waits for a second officer (issue 15) */
export const APPEAL_STATUSES = ['open', 'in-review', 'upheld', 'rejected'] as const;
export const APPEAL_OUTCOMES = ['fact-corrected', 'override', 'rejected'] as const;
export const AppealSchema = v.object({
	id: v.string(),
	personId: v.string(),
	codeId: v.nullable(v.string()),
	text: v.string(),
	/** the contested reason (core/colour-reasons.ts), when the resident picked one */
	reason: v.optional(v.nullable(v.string())),
	status: v.picklist(APPEAL_STATUSES),
	createdAt: v.number(),
	updatedAt: v.number(),
	/** the officer's reason, as the resident reads it */
	resolution: v.nullable(v.string()),
	/** how it ended: a fact corrected, a colour override (approved by a second officer), or rejected */
	outcome: v.optional(v.nullable(v.picklist(APPEAL_OUTCOMES))),
	resolvedAt: v.optional(v.nullable(v.number()))
});
export type Appeal = v.InferOutput<typeof AppealSchema>;
export const AppealsResponseSchema = v.object({ appeals: v.array(AppealSchema) });
export type AppealsResponse = v.InferOutput<typeof AppealsResponseSchema>;
export const AppealRequestSchema = v.object({
	personId: v.string(),
	codeId: v.optional(v.nullable(v.string())),
	text: v.string(),
	reason: v.optional(v.nullable(v.string()))
});
export type AppealRequest = v.InferOutput<typeof AppealRequestSchema>;

// ── GET /api/v1/config (all three apps) ────────────────────────────────────────────────────────────────
export const ConfigResponseSchema = v.object({
	region: v.string(),
	rootPublicKey: v.nullable(v.string()),
	trustListMaxAgeSeconds: v.number(),
	statusListMaxAgeSeconds: v.number(),
	demo: v.boolean()
});
export type ConfigResponse = v.InferOutput<typeof ConfigResponseSchema>;

// ── GET /api/v1/health ─────────────────────────────────────────────────────────────────────────────────
// Readiness (src/lib/server/health.ts): 200 with every part, 503 while any is down or the server is not initialised.
export const HealthResponseSchema = v.object({
	ok: v.boolean(),
	version: v.string(),
	error: v.optional(v.string()),
	database: v.optional(v.object({ ok: v.boolean(), error: v.optional(v.string()) })),
	keys: v.optional(
		v.object({ ok: v.boolean(), region: v.string(), activeIssuerKid: v.nullable(v.string()), activeUntil: v.nullable(v.number()) })
	),
	lists: v.optional(
		v.object({ ok: v.boolean(), trustListPublishedAt: v.nullable(v.number()), statusListPublishedAt: v.nullable(v.number()) })
	),
	sms: v.optional(v.object({ sender: v.string(), production: v.boolean() }))
});
export type HealthResponse = v.InferOutput<typeof HealthResponseSchema>;

// ── GET /api/v1/status/[region][?since=SEQ], GET /.well-known/tongxing/trust-list: signed COSE bytes ─────
export const REGION_PARAM_RE = /^\d{6}$/;
export const SINCE_PARAM_RE = /^\d{1,15}$/;
