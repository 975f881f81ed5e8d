/**
 * Proposals (issue 13, "no one changes colours alone"): the console's endpoints under /api/v1/console/proposals
 * and /api/v1/console/overrides, and the `proposal` answer of the colour-changing actions (risk areas, rules,
 * imports) when they need a second staff member's approval. The server's service: server/proposals/.
 */
import * as v from 'valibot';
import { COLOURS } from '../claims.js';

export const PROPOSAL_STATUSES = ['pending', 'approved', 'applied', 'rejected', 'lapsed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PreviewSchema = v.object({
	evaluated: v.number(),
	changed: v.number(),
	/** "green→red": count */
	transitions: v.record(v.string(), v.number()),
	/** a few affected residents: a prefix of the keyed hash of their ID, and the masked name when an account holds them */
	samples: v.array(v.object({ id: v.string(), name: v.nullable(v.string()), from: v.string(), to: v.string() }))
});
export type PreviewView = v.InferOutput<typeof PreviewSchema>;

export const ProposalSchema = v.object({
	id: v.string(),
	kind: v.string(),
	status: v.picklist(PROPOSAL_STATUSES),
	summary: v.string(),
	reasonCode: v.string(),
	note: v.nullable(v.string()),
	urgent: v.boolean(),
	proposedBy: v.string(),
	proposedAt: v.string(),
	decidedBy: v.nullable(v.string()),
	decidedAt: v.nullable(v.string()),
	/** urgent: approve by then or it lapses */
	deadlineAt: v.nullable(v.string()),
	appliedAt: v.nullable(v.string()),
	preview: PreviewSchema,
	result: v.unknown(),
	ownProposal: v.boolean(),
	canApprove: v.boolean()
});
export type ProposalView = v.InferOutput<typeof ProposalSchema>;

/** What a colour-changing action answers: the proposal (status `applied`: done now; `pending`: waits for approval), with the counts when applied. */
export const ActionOutcomeSchema = v.object({ proposal: ProposalSchema, result: v.optional(v.unknown()) });
export type ActionOutcomeView = v.InferOutput<typeof ActionOutcomeSchema>;

export const ProposalsResponseSchema = v.object({ proposals: v.array(ProposalSchema), threshold: v.number() });
export type ProposalsResponse = v.InferOutput<typeof ProposalsResponseSchema>;

export const ProposalDetailSchema = v.object({
	proposal: ProposalSchema,
	events: v.array(v.object({ at: v.string(), action: v.string(), actor: v.string(), reasonCode: v.string(), note: v.nullable(v.string()) }))
});
export type ProposalDetail = v.InferOutput<typeof ProposalDetailSchema>;

export const RejectRequestSchema = v.object({ note: v.optional(v.string()) });
export type RejectRequest = v.InferOutput<typeof RejectRequestSchema>;

/** POST /api/v1/console/overrides: a manual colour decision for one person (always a proposal). */
export const OverrideRequestSchema = v.object({
	idType: v.string(),
	idNumber: v.string(),
	colour: v.picklist(COLOURS),
	/** ISO 8601 with a zone; absent: until withdrawn */
	until: v.optional(v.nullable(v.string())),
	reasonCode: v.string(),
	note: v.optional(v.string())
});
export type OverrideRequest = v.InferOutput<typeof OverrideRequestSchema>;

/** POST /api/v1/console/overrides/[id]/withdraw */
export const WithdrawOverrideRequestSchema = v.object({ reasonCode: v.string(), note: v.optional(v.string()) });
export type WithdrawOverrideRequest = v.InferOutput<typeof WithdrawOverrideRequestSchema>;
