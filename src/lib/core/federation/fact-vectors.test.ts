/**
 * The federation fact vectors (test-vectors/federation/facts.json, scripts/vectors/fact-vectors.ts) against every
 * Ed25519 backend core can use: routing hashes, whole-batch refusals and per-item verdicts; and the file is what
 * the generator makes today (a change to the format must change the vectors, on purpose).
 */
import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromHex } from '../bytes.js';
import { tweetnaclBackend } from '../ed25519/tweetnacl.js';
import { createWebCryptoBackend } from '../ed25519/webcrypto.js';
import { nobleBackend } from '../../testing/noble-backend.js';
import { fixedExchangeKeys } from './exchange-keys.js';
import { openFactBatch } from './fact-batch.js';
import { routingHash } from './routing-hash.js';
import vectors from '../../../../test-vectors/federation/facts.json';
import { buildFactVectors, type FactVectors } from '../../../../scripts/vectors/fact-vectors.js';

const v = vectors as unknown as FactVectors;
const keys = fixedExchangeKeys(new Map(Object.entries(v.exchangeKeys).map(([r, k]) => [r, fromBase64Url(k)!])));

describe('federation fact vectors', () => {
	it('are what the generator makes', async () => {
		expect(JSON.parse(JSON.stringify(await buildFactVectors()))).toEqual(v);
	});

	it('routing hashes', () => {
		for (const r of v.routingHashes) expect(routingHash(fromHex(v.nationalKeyHex)!, r.idNumber)).toBe(r.hash);
		// the check letter's case does not change the hash
		expect(routingHash(fromHex(v.nationalKeyHex)!, v.routingHashes[0]!.idNumber.toLowerCase())).toBe(v.routingHashes[0]!.hash);
	});

	for (const backend of [tweetnaclBackend, createWebCryptoBackend(), nobleBackend]) {
		describe(backend.name, () => {
			it.each(v.batches.map((b) => [b.name, b] as const))('%s', async (_name, b) => {
				const r = await openFactBatch(b.envelope, { keys, backend, nowSec: v.nowSec });
				if ('refused' in b.expected) {
					expect(r).toEqual({ ok: false, code: b.expected.refused });
					return;
				}
				expect(r.ok).toBe(true);
				if (!r.ok) return;
				expect(
					r.batch.items.map((i) =>
						i.check.ok ? { status: 'ok' } : { status: 'rejected', code: i.check.code, ...(i.check.field ? { field: i.check.field } : {}) }
					)
				).toEqual(b.expected.items);
			});
		});
	}
});
