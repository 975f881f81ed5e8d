/**
 * One-time codes against a real database: expiry, reuse, wrong codes, brute force lock-out, per-phone and
 * per-address limits, and that unknown phones get the same answer as known ones.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { OTP_MAX_ATTEMPTS, OTP_PER_PHONE_PER_HOUR, OTP_TTL_MS, requestOtp, verifyOtp } from './otp.js';
import { otpConfig } from './otp-config.js';
import { StartupError } from '../startup-error.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const PHONE = '13800138000';
const ip = '127.0.0.1';
const code = async (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

async function request(phone = PHONE, clientIp = ip) {
	return requestOtp(f.deps, { phone, clientIp, nowMs: f.clock.now });
}

describe('one-time codes', () => {
	it('signs in with the code sent, once', async () => {
		const { challengeId } = await request();
		const otp = f.lastCode(PHONE);
		expect(await verifyOtp(f.deps, { challengeId, phone: PHONE, code: otp, nowMs: f.clock.now })).toBe(PHONE);
		expect(await code(verifyOtp(f.deps, { challengeId, phone: PHONE, code: otp, nowMs: f.clock.now }))).toBe('otp/invalid');
	});

	it('accepts +86 and spaces, and answers an unknown phone exactly like a known one', async () => {
		const known = await request('+86 138 0013 8000');
		f.clock.now += 61_000;
		const unknown = await request('13312345678');
		expect(Object.keys(known)).toEqual(Object.keys(unknown));
		expect(known.expiresAt - (f.clock.now - 61_000)).toBe(unknown.expiresAt - f.clock.now);
		expect(f.sms.map((s) => s.phone)).toEqual([PHONE, '13312345678']);
	});

	it('expires after 5 minutes', async () => {
		const { challengeId } = await request();
		f.clock.now += OTP_TTL_MS;
		expect(await code(verifyOtp(f.deps, { challengeId, phone: PHONE, code: f.lastCode(PHONE), nowMs: f.clock.now }))).toBe('otp/expired');
	});

	it('is bound to its challenge and phone', async () => {
		const { challengeId } = await request();
		const otp = f.lastCode(PHONE);
		expect(await code(verifyOtp(f.deps, { challengeId, phone: '13900139000', code: otp, nowMs: f.clock.now }))).toBe('otp/invalid');
		expect(await code(verifyOtp(f.deps, { challengeId: 'nope', phone: PHONE, code: otp, nowMs: f.clock.now }))).toBe('otp/invalid');
	});

	it(`locks a challenge after ${OTP_MAX_ATTEMPTS} wrong codes, even for the right one`, async () => {
		const { challengeId } = await request();
		const otp = f.lastCode(PHONE);
		const wrong = otp === '000000' ? '111111' : '000000';
		for (let i = 0; i < OTP_MAX_ATTEMPTS; i++)
			expect(await code(verifyOtp(f.deps, { challengeId, phone: PHONE, code: wrong, nowMs: f.clock.now }))).toBe('otp/invalid');
		expect(await code(verifyOtp(f.deps, { challengeId, phone: PHONE, code: otp, nowMs: f.clock.now }))).toBe('otp/locked');
	});

	it('locks the phone out after repeated failures across challenges (brute force)', async () => {
		let last = '';
		for (let round = 0; round < 3; round++) {
			const { challengeId } = await request();
			last = challengeId;
			const otp = f.lastCode(PHONE);
			const wrong = otp === '000000' ? '111111' : '000000';
			for (let i = 0; i < 4; i++) await code(verifyOtp(f.deps, { challengeId, phone: PHONE, code: wrong, nowMs: f.clock.now }));
			f.clock.now += 61_000;
		}
		// 12 failures > 10 per hour: even the right code for a fresh challenge is refused until the hour ends.
		expect(await code(verifyOtp(f.deps, { challengeId: last, phone: PHONE, code: f.lastCode(PHONE), nowMs: f.clock.now }))).toBe(
			'otp/locked'
		);
	});

	it('limits requests per phone (cool-down and hourly cap) and per address', async () => {
		await request();
		expect(await code(request())).toBe('otp/rate-limited'); // within 60 s
		for (let i = 1; i < OTP_PER_PHONE_PER_HOUR; i++) {
			f.clock.now += 61_000;
			expect(await code(request())).toBe('ok');
		}
		f.clock.now += 61_000;
		expect(await code(request())).toBe('otp/rate-limited');
		let ipLimited = false;
		for (let i = 0; i < 40 && !ipLimited; i++)
			ipLimited = (await code(request(`1391234${String(i).padStart(4, '0')}`, '10.9.9.9'))) === 'otp/rate-limited';
		expect(ipLimited).toBe(true);
	});

	it('keeps the cool-down the operator set (TONGXING_OTP_COOLDOWN_SECONDS), and refuses a bad setting at start', async () => {
		const deps = { ...f.deps, config: { ...f.deps.config, ...otpConfig({ TONGXING_OTP_COOLDOWN_SECONDS: '5' }) } };
		const ask = () => code(requestOtp(deps, { phone: PHONE, clientIp: ip, nowMs: f.clock.now }));
		expect(await ask()).toBe('ok');
		f.clock.now += 4_000;
		expect(await ask()).toBe('otp/rate-limited');
		f.clock.now += 1_000;
		expect(await ask()).toBe('ok');
		expect(otpConfig({})).toEqual({});
		for (const bad of ['0', '601', '1.5', 'soon', '-5'])
			expect(() => otpConfig({ TONGXING_OTP_COOLDOWN_SECONDS: bad })).toThrow(StartupError);
	});

	it('rejects malformed phones and codes with a clear error', async () => {
		expect(await code(request('12345'))).toBe('request/invalid');
		const { challengeId } = await request();
		expect(await code(verifyOtp(f.deps, { challengeId, phone: PHONE, code: '12ab56', nowMs: f.clock.now }))).toBe('otp/invalid');
	});
});
