/**
 * Hash-check variants of the scan ingest the bench compares: the server's default (node:crypto, src/lib/server/
 * scans/scan-hash.ts) and the core's scanEventHash (cborg + @noble/hashes), which it replaced. Both give the
 * same acks and gaps (checked by bench/server.ts; the hashes are cross-checked in scan-hash.test.ts).
 */
import { scanEventHash } from '../src/lib/core/scan-log.js';
import { ingestScans } from '../src/lib/server/scans/ingest.js';
import type { Db } from '../src/lib/server/store/db.js';

export { nodeScanEventHash } from '../src/lib/server/scans/scan-hash.js';

/** ingestScans itself (default hash: node:crypto). */
export const ingestScansBatched = ingestScans;

/** ingestScans checking hashes with the core's scanEventHash (@noble/hashes), as before the node:crypto hash. */
export const ingestScansNobleHash = (db: Db, device: { id: string; venue_id: string }, items: unknown, nowMs: number) =>
	ingestScans(db, device, items, nowMs, scanEventHash);
