/**
 * The gateway's fact endpoints (docs/federation.md §Facts), called by regions, never by apps: each body is a
 * COSE_Sign1 region message (core/federation/region-message.ts) as base64url, except a fact batch, which is the
 * envelope of core/federation/fact-batch.ts. The server checks signatures and bodies with its own codes.
 */
import * as v from 'valibot';

export const SignedMessageSchema = v.object({ message: v.string() });
export const FactBatchRequestSchema = v.object({ message: v.string(), facts: v.array(v.string()) });

const ItemResultSchema = v.object({
	index: v.number(),
	factId: v.nullable(v.string()),
	status: v.picklist(['accepted', 'rejected']),
	code: v.optional(v.string()),
	field: v.optional(v.string())
});
export const FactBatchResponseSchema = v.object({ batch: v.string(), results: v.array(ItemResultSchema) });
export const RegistrationsResponseSchema = v.object({
	registered: v.number(),
	conflicts: v.array(v.object({ route: v.string(), home: v.string() }))
});
export const PullResponseSchema = v.object({
	batches: v.array(v.object({ message: v.string(), facts: v.array(v.string()), seqs: v.array(v.number()) })),
	next: v.number(),
	more: v.boolean()
});
export const AckResponseSchema = v.object({ acked: v.number(), waiting: v.number() });
export const RejectionsResponseSchema = v.object({
	rejections: v.array(
		v.object({ batch: v.string(), factId: v.nullable(v.string()), code: v.string(), field: v.nullable(v.string()), at: v.number() })
	),
	conflicts: v.array(v.object({ route: v.string(), home: v.string(), claimedBy: v.string(), at: v.number() }))
});

/** The operators' view of this region's exchange (console): outbox by state, the latest rows, the inbox. */
export const FederationFactsViewSchema = v.object({
	enabled: v.boolean(),
	counts: v.record(v.string(), v.number()),
	outbox: v.array(
		v.object({
			factId: v.string(),
			rev: v.number(),
			kind: v.string(),
			state: v.string(),
			attempts: v.number(),
			createdAt: v.number(),
			doneAt: v.nullable(v.number()),
			nextAttemptAt: v.number(),
			lastError: v.nullable(v.string()),
			rejectCode: v.nullable(v.string()),
			rejectField: v.nullable(v.string())
		})
	),
	inbox: v.array(
		v.object({
			factId: v.string(),
			rev: v.number(),
			kind: v.string(),
			sourceRegion: v.string(),
			receivedAt: v.number(),
			outcome: v.string(),
			rejectCode: v.nullable(v.string())
		})
	)
});
export type FederationFactsView = v.InferOutput<typeof FederationFactsViewSchema>;

/** Cross-region tracing (docs/federation.md §Cross-region tracing): the console asks, lists, approves or refuses. */
export const TracingVisitSchema = v.object({ venue: v.string(), from: v.number(), until: v.number() });
export const TracingRequestSchema = v.object({
	to: v.string(),
	visits: v.array(TracingVisitSchema),
	purpose: v.string(),
	caseIdNumber: v.optional(v.string())
});
export type TracingRequest = v.InferOutput<typeof TracingRequestSchema>;
export const TracingCreatedSchema = v.object({ id: v.string() });
export const TracingDecisionSchema = v.object({ note: v.optional(v.string()) });
export const TracingApprovedSchema = v.object({
	found: v.number(),
	local: v.number(),
	queued: v.number(),
	unroutable: v.number(),
	recoloured: v.number(),
	answerSent: v.boolean()
});
export const TracingRefusedSchema = v.object({ answerSent: v.boolean() });
export const TracingListResponseSchema = v.object({
	requests: v.array(
		v.object({
			id: v.string(),
			direction: v.picklist(['in', 'out']),
			peerRegion: v.string(),
			visits: v.array(TracingVisitSchema),
			purpose: v.string(),
			state: v.string(),
			requestedBy: v.string(),
			requestedAt: v.number(),
			decidedBy: v.nullable(v.string()),
			decidedAt: v.nullable(v.number()),
			note: v.nullable(v.string()),
			found: v.nullable(v.number())
		})
	)
});
export type TracingListResponse = v.InferOutput<typeof TracingListResponseSchema>;
export const TracingPollResponseSchema = v.object({
	requests: v.array(v.object({ seq: v.number(), message: v.string() })),
	answers: v.array(v.object({ id: v.string(), message: v.string(), answeredAt: v.number() }))
});
export const TracingQueuedSchema = v.object({ id: v.string(), queued: v.boolean() });
