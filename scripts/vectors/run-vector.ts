import { fromBase64Url } from '../../src/lib/core/bytes.js';
import type { Ed25519Backend } from '../../src/lib/core/ed25519/ed25519.js';
import type { Verdict } from '../../src/lib/core/verdict.js';
import { verifyCodeWithDocuments } from '../../src/lib/core/verify-documents.js';
import type { TestVector } from './build-vectors.js';

/** Verifies one test vector with its own documents: the one runner the unit, server and browser suites share. */
export function runVector(v: TestVector, backend: Ed25519Backend): Promise<Verdict> {
	return verifyCodeWithDocuments(v.qr, {
		...(v.trustList ? { trustList: fromBase64Url(v.trustList)! } : {}),
		...(v.trustBundle ? { trustBundle: fromBase64Url(v.trustBundle)! } : {}),
		statusLists: v.statusList ? [fromBase64Url(v.statusList)!] : [],
		rootPublicKey: fromBase64Url(v.rootPublicKey)!,
		...(v.minTrustListVersion !== undefined ? { minTrustListVersion: v.minTrustListVersion } : {}),
		now: Date.parse(v.now),
		backend
	});
}
