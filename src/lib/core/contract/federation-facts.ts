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
