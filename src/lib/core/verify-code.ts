/**
 * verifyCode: the whole offline check a scanner makes, with zero server calls.
 *
 * Total: any input gets a Verdict, nothing throws, and work is bounded (text length is capped before any
 * decoding; at most two signature checks). Definite failures are reported before "cannot tell" ones, so a
 * forged or revoked code reads `invalid` even on a device whose lists are out of date.
 */
import { decodeClaims } from './claims.js';
import { cborDecode } from './cbor.js';
import { parseCodeText } from './code-text.js';
import { CLOCK_SKEW_SECONDS, LIVE_PROOF_SKEW_STEPS, MAX_VALIDITY_SECONDS } from './constants.js';
import { sigStructure } from './cose.js';
import { fromBase64Url, toHex } from './bytes.js';
import { strictVerify, type Ed25519Backend } from './ed25519/ed25519.js';
import { liveProofMessage, timeStep } from './live-proof.js';
import type { CodeKind } from './claims.js';
import type { StatusList } from './status-list.js';
import type { TrustList } from './trust-list.js';
import { verdictFor, type Verdict } from './verdict.js';

export interface VerifyPolicy {
	/** Override the lists' own maxAge (seconds), e.g. a venue that wants fresher revocations. */
	trustListMaxAge?: number;
	statusListMaxAge?: number;
	/** Default true: without the issuing region's status list a code is unverifiable, not valid. */
	requireStatusList?: boolean;
	/** Stricter validity caps per kind (seconds); values above MAX_VALIDITY_SECONDS are ignored. */
	maxValiditySeconds?: Partial<Record<CodeKind, number>>;
}

export interface VerifyContext {
	trustList: TrustList | null;
	statusLists?: readonly StatusList[];
	/** The scanner's clock, Unix milliseconds. */
	now: number;
	/**
	 * The newest trusted time this device has seen (Unix ms): the server's Date on its last answer, kept as a
	 * monotonic lower bound (the scanner stores it). A device clock set back before it, or before any list's
	 * signed issuedAt, cannot judge expiry: `clock-suspect`. Expiry is judged against the later of the two.
	 */
	timeFloor?: number;
	backend: Ed25519Backend;
	policy?: VerifyPolicy;
}

export async function verifyCode(text: unknown, ctx: VerifyContext): Promise<Verdict> {
	try {
		return await verifyUnsafe(text, ctx);
	} catch (e) {
		// Unreachable by design; a verifier must still never throw at a guard.
		return verdictFor('bad-format', { detail: `internal: ${e instanceof Error ? e.message : String(e)}` });
	}
}

async function verifyUnsafe(text: unknown, ctx: VerifyContext): Promise<Verdict> {
	const parsed = parseCodeText(text);
	if ('reason' in parsed) return verdictFor(parsed.reason, { detail: parsed.detail });
	const { cose, live } = parsed;
	const kid = toHex(cose.kid);
	const { trustList, now, backend } = ctx;
	const nowSec = Math.floor(now / 1000);
	if (!trustList) return verdictFor('trust-list-missing', { kid });

	const key = trustList.byKid.get(kid);
	if (!key) return verdictFor('unknown-issuer', { kid, detail: trustList.refused?.get(kid) ?? 'key not in this trust list; update keys' });
	if (key.status === 'compromised') return verdictFor('issuer-compromised', { kid });
	const issuerKey = fromBase64Url(key.publicKey)!;
	// Both signatures are checked concurrently (WebCrypto runs them off the main thread), but the claims are
	// not trusted, and the live proof not judged, until the issuer signature has verified.
	const untrusted = decodeClaims(cborDecode(cose.payload));
	const issuerOk = strictVerify(backend, issuerKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature);
	const liveOk =
		untrusted?.holderKey !== undefined && live
			? strictVerify(backend, fromBase64Url(untrusted.holderKey)!, liveProofMessage(parsed.credential, live.step), live.signature)
			: undefined;
	// strictVerify never rejects, so an abandoned liveOk cannot surface as an unhandled rejection.
	if (!(await issuerOk)) return verdictFor('bad-signature', { kid });
	const claims = untrusted;
	if (!claims) return verdictFor('bad-format', { kid, detail: 'signed payload is not valid claims' });
	const signed = { kid, claims };
	if (claims.iss !== key.region) return verdictFor('issuer-region-mismatch', signed);
	if (claims.iat < key.notBefore || claims.iat > key.notAfter) return verdictFor('outside-key-window', signed);
	if (claims.exp - claims.iat > maxValidity(claims.kind, ctx.policy)) {
		return verdictFor('validity-too-long', { ...signed, detail: `exp - iat = ${claims.exp - claims.iat} s` });
	}
	const floor = trustedFloor(ctx);
	if (nowSec + CLOCK_SKEW_SECONDS < floor.sec) {
		return verdictFor('clock-suspect', { ...signed, detail: `scanner clock is before ${floor.source}` });
	}
	if (claims.iat > nowSec + CLOCK_SKEW_SECONDS) return verdictFor('not-yet-valid', signed);
	if (Math.max(nowSec, floor.sec) >= claims.exp) return verdictFor('expired', signed);

	let liveStepOffset: number | undefined;
	if (claims.kind === 'paper') {
		if (live) return verdictFor('bad-format', { ...signed, detail: 'paper codes carry no live proof' });
	} else {
		if (!live) return verdictFor('live-proof-missing', { ...signed, detail: 'a phone code must be shown from the app' });
		if (!(await liveOk)) {
			return verdictFor('bad-live-proof', signed);
		}
		liveStepOffset = live.step - timeStep(now);
		if (liveStepOffset < -LIVE_PROOF_SKEW_STEPS) return verdictFor('stale-live-proof', { ...signed, liveStepOffset });
		if (liveStepOffset > LIVE_PROOF_SKEW_STEPS)
			return verdictFor('clock-suspect', { ...signed, liveStepOffset, detail: 'the phone clock is ahead' });
	}
	const withLive = liveStepOffset === undefined ? signed : { ...signed, liveStepOffset };

	const status = ctx.statusLists?.find((s) => s.region === claims.iss);
	if (status?.revoked.has(claims.codeId)) return verdictFor('revoked', withLive);
	const policy = ctx.policy ?? {};
	// A national bundle (federation/trust-bundle.ts) is as fresh as the issuing region's own key list.
	const fresh = trustList.regions?.get(claims.iss) ?? trustList;
	if (nowSec > fresh.issuedAt + (policy.trustListMaxAge ?? fresh.maxAge)) return verdictFor('trust-list-stale', withLive);
	if (!status) {
		if (policy.requireStatusList ?? true) return verdictFor('status-list-missing', withLive);
	} else if (nowSec > status.issuedAt + (policy.statusListMaxAge ?? status.maxAge)) {
		return verdictFor('status-list-stale', withLive);
	}
	return verdictFor('ok', withLive);
}

/** The validity cap for a kind: the format's bound, or the venue's stricter one (docs/code-format.md §Time). */
function maxValidity(kind: CodeKind, policy: VerifyPolicy | undefined): number {
	const cap: number = MAX_VALIDITY_SECONDS[kind];
	const venue = policy?.maxValiditySeconds?.[kind];
	return venue !== undefined && venue > 0 ? Math.min(cap, venue) : cap;
}

/**
 * The latest signed or server-given time the device holds: the trust list's and every status list's issuedAt and
 * the stored time floor. A clock behind it was set back (or never set): an expired code must not pass on it.
 */
function trustedFloor(ctx: VerifyContext): { sec: number; source: string } {
	let floor = { sec: ctx.trustList?.issuedAt ?? 0, source: 'the trust list was issued' };
	for (const s of ctx.statusLists ?? []) if (s.issuedAt > floor.sec) floor = { sec: s.issuedAt, source: 'a status list was issued' };
	const server = Math.floor((ctx.timeFloor ?? 0) / 1000);
	if (server > floor.sec) floor = { sec: server, source: 'a time the server already gave it' };
	return floor;
}
