import type { Ed25519Backend } from './ed25519.js';
import { tweetnaclBackend } from './tweetnacl.js';
import { createWebCryptoBackend, webCryptoEd25519Available } from './webcrypto.js';

let fastest: Promise<Ed25519Backend> | undefined;

/**
 * The fast path where the runtime has it (WebCrypto Ed25519, probed with an RFC 8032 vector once),
 * tweetnacl otherwise. The server passes its node:crypto backend explicitly instead.
 */
export function fastestBackend(): Promise<Ed25519Backend> {
	fastest ??= webCryptoEd25519Available().then((ok) => (ok ? createWebCryptoBackend() : tweetnaclBackend));
	return fastest;
}
