/**
 * The data-source push API (POST /api/v1/sources/[source]/[kind], the source's API key as bearer): the body is
 * `{ "records": [...] }`, each record the kind's fields (import-kinds.ts); the per-field checks are the
 * server's validators (server/sources/kinds.ts), shared with the file import.
 */
import * as v from 'valibot';

/** At most this many records per push. */
export const MAX_PUSH_RECORDS = 5000;

export const PushRequestSchema = v.object({ records: v.array(v.record(v.string(), v.unknown())) });
export type PushRequest = v.InferOutput<typeof PushRequestSchema>;
export const PushResponseSchema = v.object({ accepted: v.number(), recoloured: v.object({ evaluated: v.number(), changed: v.number() }) });
export type PushResponse = v.InferOutput<typeof PushResponseSchema>;
