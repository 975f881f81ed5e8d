/**
 * Every test vector: one case per reason code and per attack in the format issue. Each builds the QR text
 * and the documents a verifier needs, and states the expected verdict. Written by gen-vectors.ts into
 * test-vectors/*.json; read by the unit, server and e2e tests.
 */
import { toBase64Url, toHex } from '../../src/lib/core/bytes.js';
import * as b45 from '../../src/lib/core/base45.js';
import { kidOf } from '../../src/lib/core/kid.js';
import { cborDecode, cborEncode, COSE_SIGN1_TAG, Tagged } from '../../src/lib/core/cbor.js';
import { encodeClaims, type CodeClaims } from '../../src/lib/core/claims.js';
import { codeText } from '../../src/lib/core/code-text.js';
import { CODE_PREFIX, LIVE_PROOF_STEP_SECONDS, MAX_CODE_TEXT_LENGTH } from '../../src/lib/core/constants.js';
import { issueCredential } from '../../src/lib/core/credential.js';
import { encodeLiveCode, timeStep } from '../../src/lib/core/live-proof.js';
import type { ReasonCode, VerdictKind } from '../../src/lib/core/verdict.js';
import * as f from './fixture.js';

export interface VectorInput {
	qr: string;
	trustList?: Uint8Array | null;
	statusList?: Uint8Array | null;
	now?: number;
	minTrustListVersion?: number;
	/** A national trust bundle (federation vectors): used instead of the trust list, with the status lists it carries. */
	trustBundle?: Uint8Array;
}

export interface VectorCase {
	name: string;
	description: string;
	build: () => Promise<VectorInput>;
	expected: { verdict: VerdictKind; reason: ReasonCode; colour?: string };
}

type Signer = ReturnType<typeof f.key>;
const STEP_MS = LIVE_PROOF_STEP_SECONDS * 1000;

async function live(c: CodeClaims, opts: { signer?: Signer; device?: Signer; at?: number } = {}): Promise<string> {
	const cred = await issueCredential(c, opts.signer ?? f.issuer);
	return codeText(await encodeLiveCode(cred, timeStep(opts.at ?? f.NOW), (opts.device ?? f.device).sign));
}

async function paper(c: Partial<CodeClaims> = {}, signer: Signer = f.issuer): Promise<string> {
	const { holderKey: _unused, ...rest } = f.claims({ kind: 'paper', ...c });
	return codeText(await issueCredential(rest, signer));
}

/** Re-wraps a paper credential after changing bytes, keeping the CBOR well-formed. */
function mutateCose(text: string, fn: (parts: [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array]) => void): string {
	const item = cborDecode(b45.base45Decode(text.slice(CODE_PREFIX.length))!) as Tagged;
	const parts = item.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
	fn(parts);
	return codeText(cborEncode(new Tagged(COSE_SIGN1_TAG, parts)));
}

/** RFC 8032 L, for the S + L malleability case. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
function addL(sig: Uint8Array): Uint8Array {
	let s = 0n;
	for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
	s += L;
	const out = new Uint8Array(sig);
	for (let i = 0; i < 32; i++) {
		out[32 + i] = Number(s & 255n);
		s >>= 8n;
	}
	return out;
}

const ok = (colour: string) => ({ verdict: 'valid' as const, reason: 'ok' as const, colour });
const bad = (reason: ReasonCode) => ({ verdict: 'invalid' as const, reason });
const unsure = (reason: ReasonCode) => ({ verdict: 'unverifiable' as const, reason });

export const CASES: VectorCase[] = [
	{
		name: 'valid-green',
		description: 'phone code, green, fresh live proof',
		expected: ok('green'),
		build: async () => ({ qr: await live(f.claims()) })
	},
	{
		name: 'valid-yellow',
		description: 'phone code, yellow with reasons (medium-risk-area stay, fever)',
		expected: ok('yellow'),
		build: async () => ({ qr: await live(f.claims({ colour: 'yellow', reasons: ['medium-risk-area-stay', 'fever-declared'] })) })
	},
	{
		name: 'valid-red',
		description: 'phone code, red (close contact); still a valid code — the colour is the verdict',
		expected: ok('red'),
		build: async () => ({ qr: await live(f.claims({ colour: 'red', reasons: ['close-contact'] })) })
	},
	{
		name: 'valid-paper',
		description: 'paper code: no live proof, guard checks ID',
		expected: ok('green'),
		build: async () => ({ qr: await paper() })
	},
	{
		name: 'valid-proxy',
		description: 'proxy code presented by a family member, live proof from the proxy phone',
		expected: ok('green'),
		build: async () => ({ qr: await live(f.claims({ kind: 'proxy', proxyName: '李*', maskedName: '王*花' })) })
	},
	{
		name: 'live-proof-skew-behind',
		description: 'live proof one step old: inside LIVE_PROOF_SKEW_STEPS',
		expected: ok('green'),
		build: async () => ({ qr: await live(f.claims(), { at: f.NOW - STEP_MS }) })
	},
	{
		name: 'live-proof-skew-ahead',
		description: 'live proof one step ahead (phone clock 30 s fast): tolerated',
		expected: ok('green'),
		build: async () => ({ qr: await live(f.claims(), { at: f.NOW + STEP_MS }) })
	},
	{
		name: 'stale-live-proof',
		description: 'screenshot replayed 2 minutes later',
		expected: bad('stale-live-proof'),
		build: async () => ({ qr: await live(f.claims(), { at: f.NOW - 4 * STEP_MS }) })
	},
	{
		name: 'clock-suspect-phone',
		description: 'live proof 10 minutes in the future: the phone clock is wrong',
		expected: unsure('clock-suspect'),
		build: async () => ({ qr: await live(f.claims(), { at: f.NOW + 20 * STEP_MS }) })
	},
	{
		name: 'clock-suspect-scanner',
		description: 'scanner clock a day before the trust list was issued',
		expected: unsure('clock-suspect'),
		build: async () => ({
			qr: await live(f.claims({ iat: f.NOW_S - f.DAY - 3600, exp: f.NOW_S }), { at: f.NOW - f.DAY * 1000 }),
			now: f.NOW - f.DAY * 1000
		})
	},
	{
		name: 'bad-live-proof',
		description: 'live proof signed by a different device than the credential names',
		expected: bad('bad-live-proof'),
		build: async () => ({ qr: await live(f.claims(), { device: f.otherDevice }) })
	},
	{
		name: 'small-order-holder-key',
		description: 'credential binds a small-order device key (would let anyone forge proofs)',
		expected: bad('bad-live-proof'),
		build: async () => ({
			qr: await live(f.claims({ holderKey: toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0))) }))
		})
	},
	{
		name: 'live-proof-missing',
		description: 'a phone credential shown without its live proof (extracted from the app)',
		expected: bad('live-proof-missing'),
		build: async () => ({ qr: codeText(await issueCredential(f.claims(), f.issuer)) })
	},
	{
		name: 'paper-with-live-wrapper',
		description: 'a paper credential inside a live wrapper',
		expected: bad('bad-format'),
		build: async () => {
			const { holderKey: _h, ...rest } = f.claims({ kind: 'paper' });
			return { qr: codeText(await encodeLiveCode(await issueCredential(rest, f.issuer), timeStep(f.NOW), f.device.sign)) };
		}
	},
	{
		name: 'tampered-payload',
		description: 'colour changed from red to green inside the signed payload',
		expected: bad('bad-signature'),
		build: async () => {
			const original = await paper({ colour: 'red', reasons: ['confirmed-case'] });
			return {
				qr: mutateCose(original, (p) => {
					p[2] = encodeClaims({ ...f.claims({ kind: 'paper', colour: 'green', reasons: [] }), holderKey: undefined });
				})
			};
		}
	},
	{
		name: 'bad-signature',
		description: 'signature bytes replaced',
		expected: bad('bad-signature'),
		build: async () => ({
			qr: mutateCose(await paper(), (p) => {
				p[3] = new Uint8Array(64).fill(9);
			})
		})
	},
	{
		name: 'signature-s-plus-l',
		description: 'S + L variant of a valid signature (tweetnacl 1.0.3 alone would accept it)',
		expected: bad('bad-signature'),
		build: async () => ({
			qr: mutateCose(await paper(), (p) => {
				p[3] = addL(p[3]);
			})
		})
	},
	{
		name: 'signed-by-other-key',
		description: 'kid of the active key but signed by an unknown key',
		expected: bad('bad-signature'),
		build: async () => ({ qr: await paper({}, { ...f.unknownIssuer, kid: f.issuer.kid }) })
	},
	{
		name: 'unknown-kid',
		description: 'issuer key not in this trust list',
		expected: unsure('unknown-issuer'),
		build: async () => ({ qr: await paper({}, f.unknownIssuer) })
	},
	{
		name: 'compromised-kid',
		description: 'issuer key marked compromised',
		expected: bad('issuer-compromised'),
		build: async () => ({ qr: await paper({}, f.compromised) })
	},
	{
		name: 'retired-kid-inside-window',
		description: 'retired key, code issued inside its window, still unexpired',
		expected: ok('green'),
		build: async () => ({ qr: await paper({ iat: f.NOW_S - 2 * f.DAY, exp: f.NOW_S + f.DAY }, f.retired) })
	},
	{
		name: 'retired-kid-outside-window',
		description: 'retired key used after its notAfter',
		expected: bad('outside-key-window'),
		build: async () => ({ qr: await paper({}, f.retired) })
	},
	{
		name: 'issuer-region-mismatch',
		description: 'Beijing key signing a code that claims Shenzhen',
		expected: bad('issuer-region-mismatch'),
		build: async () => ({ qr: await paper({}, f.beijing) })
	},
	{
		name: 'expired',
		description: 'past exp',
		expected: bad('expired'),
		build: async () => ({ qr: await paper({ iat: f.NOW_S - 2 * f.DAY, exp: f.NOW_S - f.DAY }) })
	},
	{
		name: 'validity-too-long-phone',
		description: 'a phone code signed for 72 h (the cap for phone codes is 48 h)',
		expected: bad('validity-too-long'),
		build: async () => ({ qr: await live(f.claims({ iat: f.NOW_S - 3600, exp: f.NOW_S + 71 * 3600 })) })
	},
	{
		name: 'validity-too-long-paper',
		description: 'a paper code signed for 30 days (the cap for paper codes is 14 days)',
		expected: bad('validity-too-long'),
		build: async () => ({ qr: await paper({ iat: f.NOW_S - 3600, exp: f.NOW_S + 30 * f.DAY }) })
	},
	{
		name: 'exp-in-milliseconds',
		description: 'exp written in milliseconds (a unit bug that would read as valid for ever)',
		expected: bad('validity-too-long'),
		build: async () => ({ qr: await paper({ iat: f.NOW_S - 3600, exp: (f.NOW_S + f.DAY) * 1000 }) })
	},
	{
		name: 'clock-set-back-after-status-list',
		description: 'scanner clock set back a day after its last status list: an expired paper code is not judged by it',
		expected: unsure('clock-suspect'),
		build: async () => ({
			qr: await paper({ iat: f.NOW_S - 36 * 3600, exp: f.NOW_S - 12 * 3600 }),
			trustList: await f.trustList({ issuedAt: f.NOW_S - 3 * f.DAY }),
			now: f.NOW - f.DAY * 1000
		})
	},
	{
		name: 'not-yet-valid',
		description: 'iat an hour in the future (beyond CLOCK_SKEW_SECONDS)',
		expected: bad('not-yet-valid'),
		build: async () => ({ qr: await paper({ iat: f.NOW_S + 3600, exp: f.NOW_S + f.DAY }) })
	},
	{
		name: 'revoked',
		description: 'code id on the issuer status list',
		expected: bad('revoked'),
		build: async () => ({ qr: await paper({ codeId: f.REVOKED_ID }) })
	},
	{
		name: 'older-trust-list',
		description: 'trust list v7 offered to a device that already accepted v8 (rollback)',
		expected: unsure('trust-list-rollback'),
		build: async () => ({ qr: await paper(), minTrustListVersion: 8 })
	},
	{
		name: 'trust-list-wrong-root',
		description: 'trust list signed by a key other than the pinned root',
		expected: unsure('trust-list-invalid'),
		build: async () => ({ qr: await paper(), trustList: await f.trustList({}, f.otherRoot) })
	},
	{
		name: 'trust-list-small-order-key',
		description: 'trust list listing a small-order issuer key',
		expected: unsure('trust-list-invalid'),
		build: async () => {
			const smallOrder = f.issuerEntry({ ...f.issuer, publicKey: new Uint8Array(32), kid: new Uint8Array(8) }, '440300', 0, 1, 'active');
			smallOrder.kid = toHex(kidOf(new Uint8Array(32)));
			smallOrder.notAfter = f.NOW_S + f.DAY;
			return { qr: await paper(), trustList: await f.trustList({ keys: [...f.TRUST.keys, smallOrder] }) };
		}
	},
	{
		name: 'trust-list-missing',
		description: 'a scanner that has never downloaded a trust list',
		expected: unsure('trust-list-missing'),
		build: async () => ({ qr: await paper(), trustList: null })
	},
	{
		name: 'trust-list-stale',
		description: 'trust list older than its maxAge (7 days)',
		expected: unsure('trust-list-stale'),
		build: async () => ({ qr: await paper(), trustList: await f.trustList({ issuedAt: f.NOW_S - 8 * f.DAY }) })
	},
	{
		name: 'status-list-stale',
		description: 'status list older than its maxAge (24 h)',
		expected: unsure('status-list-stale'),
		build: async () => ({ qr: await paper(), statusList: await f.statusList({ issuedAt: f.NOW_S - 2 * f.DAY }) })
	},
	{
		name: 'status-list-missing',
		description: 'no status list for the issuing region',
		expected: unsure('status-list-missing'),
		build: async () => ({ qr: await paper(), statusList: null })
	},
	{
		name: 'status-list-forged',
		description: 'status list signed by a key outside the trust list',
		expected: unsure('status-list-invalid'),
		build: async () => ({ qr: await paper(), statusList: await f.statusList({}, f.unknownIssuer) })
	},
	{
		name: 'unsupported-algorithm',
		description: 'protected header says ES256 (-7)',
		expected: unsure('unsupported-algorithm'),
		build: async () => ({
			qr: mutateCose(await paper(), (p) => {
				p[0] = cborEncode(
					new Map<number, unknown>([
						[1, -7],
						[4, f.issuer.kid]
					])
				);
			})
		})
	},
	{
		name: 'unsupported-version',
		description: 'a future format TX2:',
		expected: unsure('unsupported-version'),
		build: async () => ({ qr: (await paper()).replace(/^TX1:/, 'TX2:') })
	},
	{
		name: 'wrong-prefix',
		description: "EU DCC's HC1: prefix",
		expected: bad('bad-format'),
		build: async () => ({ qr: (await paper()).replace(/^TX1:/, 'HC1:') })
	},
	{
		name: 'bad-base45',
		description: 'lowercase letters are not base45',
		expected: bad('bad-format'),
		build: async () => ({ qr: (await paper()).toLowerCase().replace(/^tx1:/, 'TX1:') })
	},
	{
		name: 'non-ascii',
		description: 'a CJK character inside the base45 text',
		expected: bad('bad-format'),
		build: async () => {
			const p = await paper();
			return { qr: p.slice(0, 20) + '码' + p.slice(21) };
		}
	},
	{
		name: 'truncated',
		description: 'last 30 characters cut off',
		expected: bad('bad-format'),
		build: async () => ({ qr: (await paper()).slice(0, -30) })
	},
	{
		name: 'trailing-characters',
		description: 'extra base45 after the CBOR item',
		expected: bad('bad-format'),
		build: async () => ({ qr: (await paper()) + '00' })
	},
	{
		name: 'trailing-newline',
		description: 'a newline after the code (callers must trim keyboard-wedge input)',
		expected: bad('bad-format'),
		build: async () => ({ qr: (await paper()) + '\n' })
	},
	{
		name: 'indefinite-length',
		description: 'COSE array re-encoded with an indefinite length',
		expected: bad('bad-format'),
		build: async () => {
			const bytes = b45.base45Decode((await paper()).slice(CODE_PREFIX.length))!;
			// d2 84 … → d2 9f … ff
			const out = Uint8Array.from([0xd2, 0x9f, ...bytes.subarray(2), 0xff]);
			return { qr: codeText(out) };
		}
	},
	{
		name: 'duplicate-map-key',
		description: 'unprotected header with a duplicate key',
		expected: bad('bad-format'),
		build: async () => {
			const bytes = b45.base45Decode((await paper()).slice(CODE_PREFIX.length))!;
			const i = bytes.indexOf(0xa0, 2); // the empty unprotected map follows the protected bstr
			const out = Uint8Array.from([...bytes.subarray(0, i), 0xa2, 0x01, 0x01, 0x01, 0x02, ...bytes.subarray(i + 1)]);
			return { qr: codeText(out) };
		}
	},
	{
		name: 'oversize',
		description: `input longer than MAX_CODE_TEXT_LENGTH (${MAX_CODE_TEXT_LENGTH})`,
		expected: bad('bad-format'),
		build: () => Promise.resolve({ qr: 'TX1:' + '0'.repeat(MAX_CODE_TEXT_LENGTH * 10) })
	},
	{ name: 'empty', description: 'empty input', expected: bad('bad-format'), build: () => Promise.resolve({ qr: '' }) },
	{
		name: 'status-signed-unrelated',
		description: 'valid COSE with a status list payload presented as a code',
		expected: bad('bad-format'),
		build: async () => ({ qr: codeText(await f.statusList()) })
	}
];
