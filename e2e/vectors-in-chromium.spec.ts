/**
 * The shared test vectors, verified inside real Chromium: the fast path must be WebCrypto Ed25519 there,
 * and it must agree with tweetnacl and with the expected verdicts.
 */
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveBundle } from '../scripts/browser/serve-bundle.js';
import type { TestVector } from '../scripts/vectors/build-vectors.js';

const dir = join(import.meta.dirname, '..', 'test-vectors');
const vectors = readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as TestVector] as [string, TestVector]);

test('every test vector verifies as expected in Chromium, with WebCrypto and with tweetnacl', async ({ page }) => {
	test.setTimeout(120_000);
	const server = await serveBundle(join(import.meta.dirname, 'browser', 'vectors-entry.ts'));
	try {
		await page.goto(server.url);
		const results = await page.evaluate(
			(v) =>
				(
					globalThis as unknown as {
						runVectors: (x: unknown) => Promise<{ name: string; backend: string; verdict: string; reason: string; colour?: string }[]>;
					}
				).runVectors(v),
			vectors
		);
		expect(new Set(results.map((r) => r.backend))).toEqual(new Set(['webcrypto', 'tweetnacl']));
		const expected = new Map(vectors);
		for (const r of results) {
			const v = expected.get(r.name)!;
			expect({ name: r.name, backend: r.backend, verdict: r.verdict, reason: r.reason }).toEqual({
				name: r.name,
				backend: r.backend,
				verdict: v.expected.verdict,
				reason: v.expected.reason
			});
			if (v.expected.colour) expect(r.colour).toBe(v.expected.colour);
		}
		expect(results).toHaveLength(vectors.length * 2);
	} finally {
		await server.close();
	}
});
