/**
 * The batched ingest this file prototyped now lives in src/lib/server/scans/ingest.ts. What remains here is
 * the variant the bench still measures: the per-event hash check with node:crypto's SHA-256 instead of
 * @noble/hashes (same CBOR bytes as scanEventHash in src/lib/core/scan-log.ts; checked against it by
 * bench/server.ts).
 */
import { createHash } from 'node:crypto';
import { cborEncode } from '../src/lib/core/cbor.js';
import { ingestScans, type HashFn } from '../src/lib/server/scans/ingest.js';

export const nodeScanEventHash: HashFn = (e) =>
	createHash('sha256').update(cborEncode(['TX-SCAN-1', e.deviceId, e.seq, e.eventId, e.venueId, e.scannedAt, e.codeId, e.verdict, e.reason, e.prevHash])).digest('base64url');

/** ingestScans itself (kept under this name for bench/server.ts). */
export const ingestScansBatched = ingestScans;
