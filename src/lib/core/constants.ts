/** Named, documented constants of the code format (docs/code-format.md §Time). */

/** QR text prefix: format "TX", version 1. A different version number gets `unsupported-version`. */
export const CODE_PREFIX = 'TX1:';
export const CODE_VERSION = 1;

/** Live-proof time step, like TOTP (RFC 6238 §4): the displayed QR changes every 30 s. */
export const LIVE_PROOF_STEP_SECONDS = 30;

/**
 * Clock skew tolerated between the resident's phone and the scanner, in steps: a proof for step s verifies
 * during steps s-1 … s+1. So a screenshot keeps verifying for 30–60 s after its step began (about a minute,
 * never longer), and two clocks may disagree by up to 30 s without a false rejection. Beyond that, an older
 * proof is `stale-live-proof` (screenshot or old code); a proof from the future is `clock-suspect`.
 */
export const LIVE_PROOF_SKEW_STEPS = 1;

/** Tolerance for a code's `iat` (and a list's `issuedAt`) lying in the scanner's future. */
export const CLOCK_SKEW_SECONDS = 300;

/** Bounded work: inputs longer than this are rejected before any decoding. A version-40 QR holds 4296. */
export const MAX_CODE_TEXT_LENGTH = 1000;

/**
 * The longest validity (`exp - iat`, seconds) a verifier accepts per kind of code. A signed code that claims more
 * is `validity-too-long` (invalid): an issuer bug or a leaked key must not mint a code that outlives every colour
 * change, and an `exp` written in milliseconds (≈ 1.8e12) lands here too instead of reading as "valid for ever".
 * Phone and proxy codes: 48 h (the issuer's current + pre-issued next code each hold at most 24 h by default,
 * `TONGXING_CODE_VALIDITY_HOURS` ≤ 48). Paper codes are printed for people without a phone and re-printed rarely:
 * 14 days at most. A venue's policy may set lower bounds (VerifyPolicy.maxValiditySeconds), never higher.
 */
export const MAX_VALIDITY_SECONDS = { phone: 48 * 3600, proxy: 48 * 3600, paper: 14 * 86400 } as const;
