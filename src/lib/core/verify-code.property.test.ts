/**
 * Property tests (fast-check): no mutation of a valid code ever verifies as valid, and no input of any
 * shape makes the verifier throw or return an unknown reason.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE45_ALPHABET, base45Decode, base45Encode } from './base45.js';
import { fromBase64Url } from './bytes.js';
import { CODE_PREFIX } from './constants.js';
import { createWebCryptoBackend } from './ed25519/webcrypto.js';
import { openStatusList } from './status-list.js';
import { openTrustList } from './trust-list.js';
import { REASON_VERDICTS } from './verdict.js';
import { verifyCode, type VerifyContext } from './verify-code.js';
import green from '../../../test-vectors/valid-green.json';
import paper from '../../../test-vectors/valid-paper.json';

const backend = createWebCryptoBackend();
let ctx: VerifyContext;

beforeAll(async () => {
	const t = await openTrustList(fromBase64Url(green.trustList)!, { rootPublicKey: fromBase64Url(green.rootPublicKey)!, backend });
	if (!t.ok) throw new Error(t.detail);
	const s = await openStatusList(fromBase64Url(green.statusList)!, { trustList: t.list, backend });
	if (!s.ok) throw new Error(s.detail);
	ctx = { trustList: t.list, statusLists: [s.list], now: Date.parse(green.now), backend };
});

const base45Char = fc.constantFrom(...BASE45_ALPHABET);

describe.each([
	['live phone code', green.qr],
	['paper code', paper.qr]
])('%s', (_label, qr) => {
	it('verifies as valid unmodified', async () => {
		expect((await verifyCode(qr, ctx)).verdict).toBe('valid');
	});

	it('never verifies after any one character is replaced, inserted or deleted', async () => {
		await fc.assert(
			fc.asyncProperty(fc.nat(), base45Char, fc.constantFrom('replace', 'insert', 'delete'), async (pos, ch, op) => {
				const i = CODE_PREFIX.length + (pos % (qr.length - CODE_PREFIX.length));
				const mutated =
					op === 'replace'
						? qr.slice(0, i) + ch + qr.slice(i + 1)
						: op === 'insert'
							? qr.slice(0, i) + ch + qr.slice(i)
							: qr.slice(0, i) + qr.slice(i + 1);
				fc.pre(mutated !== qr);
				expect((await verifyCode(mutated, ctx)).verdict).not.toBe('valid');
			}),
			{ numRuns: 400 }
		);
	}, 60_000);

	it('never verifies after any bit of the decoded bytes flips', async () => {
		const bytes = base45Decode(qr.slice(CODE_PREFIX.length))!;
		await fc.assert(
			fc.asyncProperty(fc.nat({ max: bytes.length * 8 - 1 }), async (bit) => {
				const copy = new Uint8Array(bytes);
				copy[bit >> 3]! ^= 1 << (bit & 7);
				expect((await verifyCode(CODE_PREFIX + base45Encode(copy), ctx)).verdict).not.toBe('valid');
			}),
			{ numRuns: 400 }
		);
	}, 60_000);
});

describe('any input', () => {
	const reasons = new Set(Object.keys(REASON_VERDICTS));
	const check = async (input: unknown) => {
		const v = await verifyCode(input, ctx);
		expect(reasons.has(v.reason)).toBe(true);
		expect(v.verdict).toBe(REASON_VERDICTS[v.reason]);
		expect(v.verdict).not.toBe('valid');
	};

	it('random strings, random base45, random CBOR-ish bytes: a verdict, never a throw', async () => {
		await fc.assert(fc.asyncProperty(fc.string({ maxLength: 1200 }), check), { numRuns: 300 });
		await fc.assert(
			fc.asyncProperty(fc.array(base45Char, { maxLength: 600 }), (cs) => check(CODE_PREFIX + cs.join(''))),
			{ numRuns: 300 }
		);
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), (b) => check(CODE_PREFIX + base45Encode(b))),
			{ numRuns: 300 }
		);
	}, 60_000);

	it('non-strings', async () => {
		for (const x of [undefined, null, 42, {}, [], new Uint8Array(3), Symbol('x')]) await check(x);
	});
});
