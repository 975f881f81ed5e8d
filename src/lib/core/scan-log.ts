/**
 * The scanner's scan log as a hash chain per device, so the issuer can prove none are missing or altered:
 *
 *   hash_n = base64url(SHA-256(CBOR([ "TX-SCAN-1", device, seq, eventId, venue, scannedAt, codeId / null,
 *                                     verdict, reason, hash_{n-1} ])))
 *
 * with seq counting 1, 2, 3 … per device and hash_0 = "" (the empty string). Only what a venue log needs:
 * when, where, which code id and the verdict — no names, no ID numbers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url } from './bytes.js';
import { cborEncode } from './cbor.js';
import type { ScanEvent } from './contract/scan-event.js';

export type { ScanEvent };

export const SCAN_CHAIN_GENESIS = '';

export function scanEventHash(e: Omit<ScanEvent, 'hash'>): string {
	return toBase64Url(
		sha256(cborEncode(['TX-SCAN-1', e.deviceId, e.seq, e.eventId, e.venueId, e.scannedAt, e.codeId, e.verdict, e.reason, e.prevHash]))
	);
}

/** Appends an event to a device's chain: the next seq, linked to the previous hash. */
export function chainScanEvent(prev: { seq: number; hash: string } | null, e: Omit<ScanEvent, 'seq' | 'prevHash' | 'hash'>): ScanEvent {
	const partial = { ...e, seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? SCAN_CHAIN_GENESIS };
	return { ...partial, hash: scanEventHash(partial) };
}
