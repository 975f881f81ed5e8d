/**
 * Live proof (holder binding, anti-screenshot). The resident's device holds its own Ed25519 key; the
 * credential carries the public half (claim tx/5). What the phone shows is the credential plus the
 * device's signature over
 *
 *   "TX-LIVE-1" (9 ASCII bytes) ‖ SHA-256(credential bytes) (32) ‖ time step as uint64 big-endian (8)
 *
 * where step = floor(unix seconds / 30). The QR therefore changes every 30 s, and a screenshot stops
 * verifying once the scanner's step is more than LIVE_PROOF_SKEW_STEPS ahead (constants.ts). The ASCII
 * prefix separates these signatures from anything else a device key could ever sign.
 *
 * Wire form (CBOR, untagged): [ credential: bstr (a tagged COSE_Sign1), step: uint, signature: bstr .size 64 ]
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, uint64be, utf8 } from './bytes.js';
import { cborEncode } from './cbor.js';
import { LIVE_PROOF_STEP_SECONDS } from './constants.js';
import type { SignFn } from './ed25519/ed25519.js';

const DOMAIN = utf8('TX-LIVE-1');

export function timeStep(nowMs: number): number {
	return Math.floor(nowMs / 1000 / LIVE_PROOF_STEP_SECONDS);
}

/** Milliseconds until the next step begins: when the displayed QR must be renewed. */
export function msUntilNextStep(nowMs: number): number {
	const stepMs = LIVE_PROOF_STEP_SECONDS * 1000;
	return stepMs - (nowMs % stepMs);
}

export function liveProofMessage(credential: Uint8Array, step: number): Uint8Array {
	return concatBytes(DOMAIN, sha256(credential), uint64be(step));
}

export async function encodeLiveCode(credential: Uint8Array, step: number, sign: SignFn): Promise<Uint8Array> {
	const signature = await sign(liveProofMessage(credential, step));
	return cborEncode([credential, step, signature]);
}
