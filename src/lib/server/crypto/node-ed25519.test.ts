import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strictVerify } from '../../core/ed25519/ed25519.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import type { TestVector } from '../../../../scripts/vectors/build-vectors.js';
import { runVector } from '../../../../scripts/vectors/run-vector.js';
import { createNodeBackend, nodeKeyPair } from './node-ed25519.js';

const node = createNodeBackend();

describe('node:crypto Ed25519', () => {
	it('derives the same public key and byte-identical signatures as tweetnacl; each verifies the other', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 200 }), async (seed, msg) => {
				const a = nodeKeyPair(seed);
				const b = tweetnaclKeyPair(seed);
				expect(a.publicKey).toEqual(b.publicKey);
				const sig = await a.sign(msg);
				expect(sig).toEqual(await b.sign(msg));
				expect(await strictVerify(tweetnaclBackend, a.publicKey, msg, sig)).toBe(true);
				expect(await strictVerify(node, b.publicKey, msg, sig)).toBe(true);
			}),
			{ numRuns: 50 }
		);
	}, 60_000);

	describe('test vectors with the server backend', () => {
		const dir = join(import.meta.dirname, '../../../../test-vectors');
		for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
			it(file, async () => {
				const v = JSON.parse(readFileSync(join(dir, file), 'utf8')) as TestVector;
				const verdict = await runVector(v, node);
				expect([verdict.verdict, verdict.reason]).toEqual([v.expected.verdict, v.expected.reason]);
			});
		}
	});
});
