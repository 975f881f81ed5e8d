/**
 * JSON answers of the gateway's trust and status endpoints (issue 14, docs/federation.md). Uploads and the
 * bundle themselves are signed CBOR (application/cose, application/tx-trust-bundle+cbor).
 */
import * as v from 'valibot';

const Region = v.pipe(v.string(), v.regex(/^[1-8]\d{5}$/));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const KeyListAcceptedSchema = v.object({ region: Region, version: Count });
export const StatusAcceptedSchema = v.object({ region: Region, seq: Count, since: Count });
export const GatewayRegionHeadSchema = v.object({ region: Region, keyListVersion: Count, statusSeq: Count, fullSeq: Count });
export type GatewayRegionHead = v.InferOutput<typeof GatewayRegionHeadSchema>;
