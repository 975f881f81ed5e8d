import { encodeClaims, type CodeClaims } from './claims.js';
import { signCose } from './cose.js';
import type { SignFn } from './ed25519/ed25519.js';

/**
 * Signs a credential: COSE_Sign1 over the CWT claims, protected header {alg: EdDSA, kid} and nothing else
 * (every byte counts in the QR). Throws RangeError on invalid claims — that is an issuer bug, not input.
 */
export function issueCredential(claims: CodeClaims, issuer: { kid: Uint8Array; sign: SignFn }): Promise<Uint8Array> {
	return signCose(encodeClaims(claims), { kid: issuer.kid, sign: issuer.sign });
}
