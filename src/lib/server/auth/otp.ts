/**
 * Phone sign-in with a one-time code: 6 digits, 5-minute lifetime, single use, bound to the challenge it was
 * sent for, at most OTP_MAX_ATTEMPTS guesses per challenge and OTP_MAX_FAILURES_PER_HOUR per phone (then the
 * phone is locked out for the rest of the hour), and rate-limited per phone and per client address. The
 * answer to a request is the same whether or not the phone has an account. Everything lives in the
 * database, so any instance behind a load balancer can verify a code another instance sent.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/db.js';
import { hit, windowCount } from '../store/rate-limit.js';
import { addOtpAttempt, consumeOtpChallenge, insertOtpChallenge, otpChallenge } from '../store/otp.js';
import { toBase64Url } from '../../core/bytes.js';
import { DomainError } from '../domain-error.js';
import { keyedHash } from '../secrets.js';
import { normalisePhone } from './phone.js';
import type { SmsSender } from './sms.js';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;
export const OTP_MAX_FAILURES_PER_HOUR = 10;
export const OTP_PER_PHONE_PER_HOUR = 5;
export const OTP_PHONE_COOLDOWN_MS = 60_000;
export const OTP_PER_IP_PER_HOUR = 30;
const HOUR = 3_600_000;

export interface OtpDeps {
	db: Store;
	hmacKey: Uint8Array;
	sms: SmsSender;
	/** otpCooldownMs: the per-phone cool-down when the operator set one (TONGXING_OTP_COOLDOWN_SECONDS) */
	config?: { otpCooldownMs?: number };
}

const invalid = () => new DomainError('otp/invalid');

function phoneField(phone: unknown): string {
	const p = normalisePhone(phone);
	if (!p) {
		throw new DomainError('request/invalid', {
			errors: [
				{ field: 'phone', code: 'phone/format', message: { 'zh-CN': '请输入 11 位手机号', en: 'Enter an 11-digit mainland mobile number' } }
			]
		});
	}
	return p;
}

async function limit(db: Store, bucket: string, windowMs: number, max: number, nowMs: number): Promise<void> {
	const r = await hit(db, bucket, windowMs, max, nowMs);
	if (!r.allowed)
		throw new DomainError('otp/rate-limited', {
			retryAfterSeconds: r.retryAfterMs / 1000
		});
}

export async function requestOtp(
	deps: OtpDeps,
	input: { phone: unknown; clientIp: string; nowMs: number }
): Promise<{ challengeId: string; expiresAt: number }> {
	const phone = phoneField(input.phone);
	const phoneHmac = keyedHash(deps.hmacKey, 'phone', phone);
	await limit(deps.db, `otp-ip:${input.clientIp}`, HOUR, OTP_PER_IP_PER_HOUR, input.nowMs);
	await limit(deps.db, `otp-phone-min:${phoneHmac}`, deps.config?.otpCooldownMs ?? OTP_PHONE_COOLDOWN_MS, 1, input.nowMs);
	await limit(deps.db, `otp-phone:${phoneHmac}`, HOUR, OTP_PER_PHONE_PER_HOUR, input.nowMs);
	const { challengeId, code, expiresAt } = await createChallenge(deps, phoneHmac, input.clientIp, input.nowMs);
	await deps.sms.send(phone, `【通行】验证码 ${code}，5 分钟内有效。Tongxing code ${code}, valid 5 minutes.`, input.nowMs);
	return { challengeId, expiresAt };
}

/**
 * A new challenge for the phone with this keyed hash: stored as the code's HMAC bound to the challenge; the code is
 * returned for the caller to send (sign-in, or a member link's confirmation: issuer/member-links.ts).
 */
export async function createChallenge(
	deps: Pick<OtpDeps, 'db' | 'hmacKey'>,
	phoneHmac: string,
	clientIp: string,
	nowMs: number
): Promise<{ challengeId: string; code: string; expiresAt: number }> {
	const challengeId = toBase64Url(randomBytes(16));
	const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
	const expiresAt = nowMs + OTP_TTL_MS;
	await insertOtpChallenge(deps.db, {
		id: challengeId,
		phone_hmac: phoneHmac,
		code_hmac: keyedHash(deps.hmacKey, 'otp', `${challengeId}:${code}`),
		expires_at: expiresAt,
		attempts: 0,
		used_at: null,
		created_at: nowMs,
		client_ip: clientIp
	});
	return { challengeId, code, expiresAt };
}

/** Checks a code; on success returns the normalised phone. Consumes the challenge exactly once. */
export async function verifyOtp(
	deps: OtpDeps,
	input: { challengeId: unknown; phone: unknown; code: unknown; nowMs: number }
): Promise<string> {
	const phone = phoneField(input.phone);
	if (typeof input.challengeId !== 'string' || typeof input.code !== 'string' || !/^\d{6}$/.test(input.code)) throw invalid();
	await checkChallenge(deps, {
		challengeId: input.challengeId,
		phoneHmac: keyedHash(deps.hmacKey, 'phone', phone),
		code: input.code,
		nowMs: input.nowMs
	});
	return phone;
}

/**
 * Checks a six-digit code against the challenge sent to the phone with this keyed hash (same guess limits and
 * answers as sign-in) and consumes it exactly once; throws otp/invalid, otp/expired or otp/locked otherwise.
 */
export async function checkChallenge(
	deps: Pick<OtpDeps, 'db' | 'hmacKey'>,
	input: { challengeId: string; phoneHmac: string; code: string; nowMs: number },
	/** whose wrong guesses lock out whom: a member link's (issuer/member-links.ts) must not lock the member's own sign-in */
	failBucket = 'otp-fail'
): Promise<void> {
	const { phoneHmac } = input;
	if (!/^\d{6}$/.test(input.code)) throw invalid();
	const failures = await windowCount(deps.db, `${failBucket}:${phoneHmac}`, Math.floor(input.nowMs / HOUR) * HOUR);
	if (failures >= OTP_MAX_FAILURES_PER_HOUR) throw lockedOut(input.nowMs);
	const challenge = await otpChallenge(deps.db, input.challengeId);
	// Same answer for an unknown challenge, another phone's challenge and a used one.
	if (!challenge || challenge.phone_hmac !== phoneHmac || challenge.used_at !== null) throw invalid();
	if (challenge.expires_at <= input.nowMs) throw new DomainError('otp/expired');
	if (challenge.attempts >= OTP_MAX_ATTEMPTS) throw new DomainError('otp/locked');
	const expected = Buffer.from(challenge.code_hmac);
	const actual = Buffer.from(keyedHash(deps.hmacKey, 'otp', `${challenge.id}:${input.code}`));
	if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
		await addOtpAttempt(deps.db, challenge.id);
		const r = await hit(deps.db, `${failBucket}:${phoneHmac}`, HOUR, OTP_MAX_FAILURES_PER_HOUR, input.nowMs);
		if (!r.allowed || r.count >= OTP_MAX_FAILURES_PER_HOUR) throw lockedOut(input.nowMs);
		throw invalid();
	}
	// Single use even when two requests race: only one UPDATE finds used_at still NULL.
	if (!(await consumeOtpChallenge(deps.db, challenge.id, input.nowMs, OTP_MAX_ATTEMPTS))) throw invalid();
}

function lockedOut(nowMs: number): DomainError {
	const retry = HOUR - (nowMs % HOUR);
	return new DomainError('otp/locked', {
		retryAfterSeconds: retry / 1000
	});
}
