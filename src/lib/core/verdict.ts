import type { CodeClaims } from './claims.js';

/**
 * Stable reason codes. `invalid` means we know the code is bad; `unverifiable` means this device cannot
 * tell right now (keys or lists out of date, a clock looks wrong) — a guard handles the two differently.
 */
export const REASON_VERDICTS = {
	ok: 'valid',
	'bad-format': 'invalid',
	'unsupported-version': 'unverifiable',
	'unsupported-algorithm': 'unverifiable',
	'bad-signature': 'invalid',
	'unknown-issuer': 'unverifiable',
	'issuer-compromised': 'invalid',
	'issuer-region-mismatch': 'invalid',
	'outside-key-window': 'invalid',
	'validity-too-long': 'invalid',
	'not-yet-valid': 'invalid',
	expired: 'invalid',
	revoked: 'invalid',
	'live-proof-missing': 'invalid',
	'stale-live-proof': 'invalid',
	'bad-live-proof': 'invalid',
	'clock-suspect': 'unverifiable',
	'trust-list-missing': 'unverifiable',
	'trust-list-invalid': 'unverifiable',
	'trust-list-rollback': 'unverifiable',
	'trust-list-stale': 'unverifiable',
	'status-list-missing': 'unverifiable',
	'status-list-invalid': 'unverifiable',
	'status-list-stale': 'unverifiable'
} as const;

export type ReasonCode = keyof typeof REASON_VERDICTS;
export type VerdictKind = 'valid' | 'invalid' | 'unverifiable';

export interface Verdict {
	verdict: VerdictKind;
	reason: ReasonCode;
	/** Present once the issuer signature has verified; never for forged or unreadable codes. */
	claims?: CodeClaims;
	/** Hex kid from the code's protected header, when readable. */
	kid?: string;
	/** For live codes: the proof's step minus the scanner's step. */
	liveStepOffset?: number;
	/** Human-readable detail for logs and support; UIs key off `reason`. */
	detail?: string;
}

export function verdictFor(reason: ReasonCode, extra: Omit<Verdict, 'verdict' | 'reason'> = {}): Verdict {
	return { verdict: REASON_VERDICTS[reason], reason, ...extra };
}
