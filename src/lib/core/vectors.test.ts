/**
 * The shared test vectors (test-vectors/*.json, made by scripts/gen-vectors.ts) against every Ed25519
 * backend core can use. The server suite runs them again with node:crypto.
 */
import { describe, expect, it } from 'vitest';
import { tweetnaclBackend } from './ed25519/tweetnacl.js';
import { createWebCryptoBackend } from './ed25519/webcrypto.js';
import { REASON_VERDICTS } from './verdict.js';
import { nobleBackend } from '../testing/noble-backend.js';
import type { TestVector } from '../../../scripts/vectors/build-vectors.js';
import { runVector } from '../../../scripts/vectors/run-vector.js';

const files = import.meta.glob<TestVector>('/test-vectors/*.json', { eager: true, import: 'default' });
const vectors = Object.entries(files).map(([path, v]) => [path.replace(/^.*\/|\.json$/g, ''), v] as const);

describe('test vectors', () => {
	it('exist and cover every reason code', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(40);
		const covered = new Set(vectors.map(([, v]) => v.expected.reason));
		const missing = Object.keys(REASON_VERDICTS).filter((r) => !covered.has(r));
		expect(missing).toEqual([]);
	});

	for (const backend of [tweetnaclBackend, createWebCryptoBackend(), nobleBackend]) {
		describe(backend.name, () => {
			it.each(vectors)('%s', async (_name, v) => {
				const verdict = await runVector(v, backend);
				expect({ verdict: verdict.verdict, reason: verdict.reason }).toEqual({ verdict: v.expected.verdict, reason: v.expected.reason });
				if (v.expected.colour) expect(verdict.claims?.colour).toBe(v.expected.colour);
				if (verdict.verdict === 'valid') expect(verdict.claims).toBeDefined();
			});
		});
	}
});
