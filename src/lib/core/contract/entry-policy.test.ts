import { describe, expect, it } from 'vitest';
import type { CodeClaims } from '../claims.js';
import type { Verdict } from '../verdict.js';
import * as v from 'valibot';
import {
	ENTRY_POLICIES,
	EntryPolicySchema,
	decideEntry,
	isEntryPolicy,
	notePointsToRule,
	policyRule,
	type PolicyNote
} from './entry-policy.js';

const now = Date.UTC(2026, 10, 29, 12);
const nowSec = now / 1000;
const claims = (c: Partial<CodeClaims>): CodeClaims => ({
	iss: '440300',
	iat: nowSec - 60,
	exp: nowSec + 3600,
	codeId: 'AAAAAAAAAAAAAAAA',
	colour: 'green',
	maskedName: '张*',
	idSuffix: '1236',
	kind: 'phone',
	reasons: [],
	...c
});
const valid = (c: Partial<CodeClaims> = {}): Verdict => ({ verdict: 'valid', reason: 'ok', claims: claims(c) });

describe('decideEntry', () => {
	it('green-only admits green, refuses yellow and red', () => {
		expect(decideEntry('green-only', valid(), now)).toEqual({ outcome: 'admit', note: 'ok' });
		expect(decideEntry('green-only', valid({ colour: 'yellow', reasons: ['fever-declared'] }), now)).toEqual({
			outcome: 'refuse',
			note: 'not-green'
		});
		expect(decideEntry('green-only', valid({ colour: 'red', reasons: ['positive-test'] }), now)).toEqual({
			outcome: 'refuse',
			note: 'red'
		});
	});
	it('never admits a code that did not verify, whatever its colour', () => {
		expect(decideEntry('yellow-with-registration', { verdict: 'invalid', reason: 'stale-live-proof' }, now).outcome).toBe('refuse');
		expect(decideEntry('green-only', { verdict: 'unverifiable', reason: 'trust-list-stale', claims: claims({}) }, now)).toEqual({
			outcome: 'caution',
			note: 'code-unverifiable'
		});
	});
	it('green + negative test within 48 h: the boundary is inclusive, a missing or future test refuses', () => {
		expect(decideEntry('green-negative-48h', valid({ lastNegativeTestAt: nowSec - 48 * 3600 }), now)).toEqual({
			outcome: 'admit',
			note: 'ok',
			testAgeHours: 48
		});
		expect(decideEntry('green-negative-48h', valid({ lastNegativeTestAt: nowSec - 48 * 3600 - 1 }), now)).toMatchObject({
			outcome: 'refuse',
			note: 'test-too-old'
		});
		expect(decideEntry('green-negative-72h', valid({ lastNegativeTestAt: nowSec - 60 * 3600 }), now)).toMatchObject({
			outcome: 'admit',
			testAgeHours: 60
		});
		expect(decideEntry('green-negative-72h', valid(), now)).toEqual({ outcome: 'refuse', note: 'needs-negative-test' });
		expect(decideEntry('green-negative-48h', valid({ lastNegativeTestAt: nowSec + 3600 }), now)).toMatchObject({
			outcome: 'refuse',
			note: 'test-too-old'
		});
		expect(
			decideEntry('green-negative-48h', valid({ lastNegativeTestAt: nowSec - 3600, colour: 'yellow', reasons: ['fever-declared'] }), now)
		).toMatchObject({ outcome: 'refuse', note: 'not-green' });
	});
	it('yellow with registration is a caution, red is refused', () => {
		expect(decideEntry('yellow-with-registration', valid({ colour: 'yellow', reasons: ['fever-declared'] }), now)).toEqual({
			outcome: 'caution',
			note: 'register-yellow'
		});
		expect(decideEntry('yellow-with-registration', valid({ colour: 'red', reasons: ['positive-test'] }), now)).toEqual({
			outcome: 'refuse',
			note: 'red'
		});
	});
	it('is one list: every policy the server stores is one the scanner decides, and nothing else', () => {
		for (const policy of ENTRY_POLICIES) {
			expect(v.is(EntryPolicySchema, policy) && isEntryPolicy(policy), policy).toBe(true);
			expect(decideEntry(policy, valid({ colour: 'red', reasons: ['positive-test'] }), now), policy).toEqual({
				outcome: 'refuse',
				note: 'red'
			});
			expect(decideEntry(policy, { verdict: 'invalid', reason: 'bad-signature' }, now), policy).toEqual({
				outcome: 'refuse',
				note: 'code-invalid'
			});
		}
		for (const x of ['anyone', 'GREEN-ONLY', '', null, 1]) expect(v.is(EntryPolicySchema, x) || isEntryPolicy(x), String(x)).toBe(false);
	});
	it('states each policy as a rule with its numbers; the refusals that are the rule point to it', () => {
		expect(policyRule('green-only')).toEqual({ kind: 'green-only' });
		expect(policyRule('green-negative-48h')).toEqual({ kind: 'green-with-test', hours: 48 });
		expect(policyRule('green-negative-72h')).toEqual({ kind: 'green-with-test', hours: 72 });
		expect(policyRule('yellow-with-registration')).toEqual({ kind: 'green-or-registered-yellow' });
		expect(['not-green', 'needs-negative-test', 'test-too-old', 'register-yellow'].every((n) => notePointsToRule(n as PolicyNote))).toBe(
			true
		);
		expect(['ok', 'red', 'code-invalid', 'code-unverifiable'].some((n) => notePointsToRule(n as PolicyNote))).toBe(false);
	});
});
