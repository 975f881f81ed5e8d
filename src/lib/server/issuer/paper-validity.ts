/**
 * How long a printed paper code is valid: a policy (TONGXING_PAPER_VALIDITY_DAYS, whole days 1–14, default 7).
 * Longer means fewer trips to a printer for people without a phone; it costs nothing in revocation, because a
 * colour change puts every unexpired paper code on the status list (issuance/revoke.ts) — but a scanner that has
 * not refreshed its status list for a while keeps admitting a revoked paper code until it does, and a longer
 * validity gives that gap more codes to matter for (docs/issuance.md, "Paper codes"). Scanners refuse paper codes
 * valid for more than 14 days (MAX_VALIDITY_SECONDS.paper), hence the cap.
 */
import { MAX_VALIDITY_SECONDS } from '../../core/constants.js';
import { StartupError } from '../startup-error.js';
import { DEFAULT_PAPER_VALIDITY_MS } from '../deps.js';
export const MAX_PAPER_VALIDITY_DAYS = MAX_VALIDITY_SECONDS.paper / 86_400;

/** The paper validity in ms from the environment; a value that is not a whole number of days 1–14 stops the start. */
export function paperValidityMs(env: NodeJS.ProcessEnv): number {
	const raw = env.TONGXING_PAPER_VALIDITY_DAYS;
	if (raw === undefined || raw.trim() === '') return DEFAULT_PAPER_VALIDITY_MS;
	const days = /^\d{1,2}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
	if (!(days >= 1 && days <= MAX_PAPER_VALIDITY_DAYS)) {
		throw new StartupError(`TONGXING_PAPER_VALIDITY_DAYS must be a whole number of days from 1 to ${MAX_PAPER_VALIDITY_DAYS}: ${raw}`);
	}
	return days * 86_400_000;
}
