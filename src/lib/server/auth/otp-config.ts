import { StartupError } from '../startup-error.js';

/**
 * TONGXING_OTP_COOLDOWN_SECONDS: one sign-in code per phone per this many seconds (1–600; default 60, the usual SMS
 * resend interval). Shorter suits a test server where one phone signs in many times; a bad value is a start-up error.
 */
export function otpConfig(env: NodeJS.ProcessEnv): { otpCooldownMs?: number } {
	const s = env.TONGXING_OTP_COOLDOWN_SECONDS;
	if (s === undefined || s === '') return {};
	if (!/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 600)
		throw new StartupError(`TONGXING_OTP_COOLDOWN_SECONDS must be a whole number of seconds (1–600): ${s}`);
	return { otpCooldownMs: Number(s) * 1000 };
}
