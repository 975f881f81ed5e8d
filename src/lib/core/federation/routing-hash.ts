/**
 * The routing hash of a person: how regions and the gateway name a person without the ID number (issue 14, "no
 * clear IDs leave a region"). HMAC-SHA256 keyed by the national routing key (32 bytes, the same in every region,
 * DATA_DIR/keys/national-id.key) over a domain-separated, normalised ID number; base64url without padding (43
 * characters). The gateway never holds the key, so it cannot test a guessed ID number against the hashes it routes.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from '../bytes.js';

/** Domain separation: the same key must never produce a hash that means something else. */
export const ROUTING_HASH_DOMAIN = 'tongxing/route/v1\0';

export const ROUTING_HASH_RE = /^[A-Za-z0-9_-]{43}$/;

/** `idNumber`: an 18-character resident ID as validated (the check letter upper case). */
export function routingHash(nationalKey: Uint8Array, idNumber: string): string {
	if (nationalKey.length !== 32) throw new RangeError('the national routing key is 32 bytes');
	return toBase64Url(hmac(sha256, nationalKey, utf8(ROUTING_HASH_DOMAIN + idNumber.trim().toUpperCase())));
}
