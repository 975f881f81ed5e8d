/**
 * Venue entry policies: the one list the server stores per venue (scans/guards.ts addVenue, `tongxing venue
 * add --policy`, GET /api/v1/console/venues, the TXE1 enrolment code) and the decision the scanner makes with
 * it, offline, from the verified code's claims and the scanner's clock (docs/scanner.md §Entry policies). The
 * authority sets one policy per venue; it reaches the device in the enrolment code. Pure: time is a parameter.
 *
 * - green-only: admit green; refuse yellow and red.
 * - green-negative-48h / -72h: admit green with a negative test (claim tx/7) taken at most 48 h / 72 h before
 *   the scan; a test time more than CLOCK_SKEW_SECONDS in the scanner's future does not count (one of the two
 *   clocks is wrong). Green without such a test: refuse, and say so.
 * - yellow-with-registration: admit green; yellow enters after the guard registers them (caution); refuse red.
 *
 * A code that is not `valid` never enters: `invalid` is refused, `unverifiable` is a caution the guard must
 * resolve (connect to update, check the clock) — the colour on an unverified code means nothing.
 */
import * as v from 'valibot';
import { CLOCK_SKEW_SECONDS } from '../constants.js';
import type { Verdict } from '../verdict.js';

export const ENTRY_POLICIES = ['green-only', 'green-negative-48h', 'green-negative-72h', 'yellow-with-registration'] as const;
export type EntryPolicy = (typeof ENTRY_POLICIES)[number];
export const EntryPolicySchema = v.picklist(ENTRY_POLICIES);

export type Outcome = 'admit' | 'caution' | 'refuse';

/** Why the policy decided as it did; one UI string each. */
export type PolicyNote =
	'ok' | 'not-green' | 'red' | 'needs-negative-test' | 'test-too-old' | 'register-yellow' | 'code-invalid' | 'code-unverifiable';

export interface EntryDecision {
	outcome: Outcome;
	note: PolicyNote;
	/** For test policies: hours since the last negative test, when the code carries one. */
	testAgeHours?: number;
}

/**
 * What a policy admits, as data: the refusal and the venue line on the scanner state the rule from this (one
 * sentence per rule kind, with its numbers), so a new policy value needs a new rule here, not a per-venue text.
 */
export type PolicyRule = { kind: 'green-only' } | { kind: 'green-with-test'; hours: number } | { kind: 'green-or-registered-yellow' };

export function policyRule(policy: EntryPolicy): PolicyRule {
	switch (policy) {
		case 'green-only':
			return { kind: 'green-only' };
		case 'green-negative-48h':
			return { kind: 'green-with-test', hours: 48 };
		case 'green-negative-72h':
			return { kind: 'green-with-test', hours: 72 };
		case 'yellow-with-registration':
			return { kind: 'green-or-registered-yellow' };
	}
}

/** Notes that mean "the code is fine but this venue's rule says no / not yet": the screen states the rule with them. */
export function notePointsToRule(note: PolicyNote): boolean {
	return note === 'not-green' || note === 'needs-negative-test' || note === 'test-too-old' || note === 'register-yellow';
}

export function isEntryPolicy(x: unknown): x is EntryPolicy {
	return typeof x === 'string' && (ENTRY_POLICIES as readonly string[]).includes(x);
}

export function decideEntry(policy: EntryPolicy, verdict: Verdict, nowMs: number): EntryDecision {
	if (verdict.verdict === 'invalid') return { outcome: 'refuse', note: 'code-invalid' };
	if (verdict.verdict === 'unverifiable' || !verdict.claims) return { outcome: 'caution', note: 'code-unverifiable' };
	const { colour, lastNegativeTestAt } = verdict.claims;
	if (colour === 'red') return { outcome: 'refuse', note: 'red' };
	switch (policy) {
		case 'green-only':
			return colour === 'green' ? { outcome: 'admit', note: 'ok' } : { outcome: 'refuse', note: 'not-green' };
		case 'yellow-with-registration':
			return colour === 'green' ? { outcome: 'admit', note: 'ok' } : { outcome: 'caution', note: 'register-yellow' };
		case 'green-negative-48h':
		case 'green-negative-72h': {
			if (colour !== 'green') return { outcome: 'refuse', note: 'not-green' };
			if (lastNegativeTestAt === undefined) return { outcome: 'refuse', note: 'needs-negative-test' };
			const nowSec = Math.floor(nowMs / 1000);
			const ageSec = nowSec - lastNegativeTestAt;
			const testAgeHours = Math.max(0, Math.floor(ageSec / 3600));
			const rule = policyRule(policy);
			const limitSec = (rule.kind === 'green-with-test' ? rule.hours : 0) * 3600;
			if (ageSec < -CLOCK_SKEW_SECONDS || ageSec > limitSec) return { outcome: 'refuse', note: 'test-too-old', testAgeHours };
			return { outcome: 'admit', note: 'ok', testAgeHours };
		}
	}
}
