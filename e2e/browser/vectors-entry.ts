/** Runs inside Chromium: every test vector through the core verifier with the browser's own crypto. */
import { fastestBackend } from '../../src/lib/core/ed25519/select.js';
import { tweetnaclBackend } from '../../src/lib/core/ed25519/tweetnacl.js';
import type { TestVector } from '../../scripts/vectors/build-vectors.js';
import { runVector } from '../../scripts/vectors/run-vector.js';

async function runVectors(vectors: [string, TestVector][]) {
	const fast = await fastestBackend();
	const out: { name: string; backend: string; verdict: string; reason: string; colour?: string }[] = [];
	for (const backend of [fast, tweetnaclBackend]) {
		for (const [name, v] of vectors) {
			const verdict = await runVector(v, backend);
			out.push({
				name,
				backend: backend.name,
				verdict: verdict.verdict,
				reason: verdict.reason,
				...(verdict.claims ? { colour: verdict.claims.colour } : {})
			});
		}
	}
	return out;
}

(globalThis as unknown as { runVectors: typeof runVectors }).runVectors = runVectors;
