/** Runs inside Chromium: every test vector through the core verifier with the browser's own crypto. */
import { fromBase64Url } from '../../src/lib/core/bytes.js';
import { fastestBackend } from '../../src/lib/core/ed25519/select.js';
import { tweetnaclBackend } from '../../src/lib/core/ed25519/tweetnacl.js';
import { verifyCodeWithDocuments } from '../../src/lib/core/verify-documents.js';
import type { TestVector } from '../../scripts/vectors/build-vectors.js';

async function runVectors(vectors: [string, TestVector][]) {
	const fast = await fastestBackend();
	const out: { name: string; backend: string; verdict: string; reason: string; colour?: string }[] = [];
	for (const backend of [fast, tweetnaclBackend]) {
		for (const [name, v] of vectors) {
			const verdict = await verifyCodeWithDocuments(v.qr, {
				...(v.trustList ? { trustList: fromBase64Url(v.trustList)! } : {}),
				statusLists: v.statusList ? [fromBase64Url(v.statusList)!] : [],
				rootPublicKey: fromBase64Url(v.rootPublicKey)!,
				...(v.minTrustListVersion !== undefined ? { minTrustListVersion: v.minTrustListVersion } : {}),
				now: Date.parse(v.now),
				backend
			});
			out.push({ name, backend: backend.name, verdict: verdict.verdict, reason: verdict.reason, ...(verdict.claims ? { colour: verdict.claims.colour } : {}) });
		}
	}
	return out;
}

(globalThis as unknown as { runVectors: typeof runVectors }).runVectors = runVectors;
