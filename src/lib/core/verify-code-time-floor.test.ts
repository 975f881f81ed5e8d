/**
 * Trusted time offline: a device clock behind the newest time the device has already seen (lists' issuedAt, the
 * server's Date kept as `timeFloor`) is `clock-suspect`, and expiry is judged against the later of the two.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64Url } from './bytes.js';
import { tweetnaclBackend } from './ed25519/tweetnacl.js';
import { verifyCodeWithDocuments } from './verify-documents.js';
import type { TestVector } from '../../../scripts/vectors/build-vectors.js';

const vector = JSON.parse(readFileSync(join(import.meta.dirname, '../../../test-vectors/valid-paper.json'), 'utf8')) as TestVector;
const NOW = Date.parse(vector.now);
const HOUR = 3_600_000;

function verify(now: number, timeFloor?: number) {
	return verifyCodeWithDocuments(vector.qr, {
		trustList: fromBase64Url(vector.trustList!)!,
		statusLists: [fromBase64Url(vector.statusList!)!],
		rootPublicKey: fromBase64Url(vector.rootPublicKey)!,
		now,
		...(timeFloor === undefined ? {} : { timeFloor }),
		backend: tweetnaclBackend
	});
}

describe('timeFloor', () => {
	it('changes nothing while the clock is at or after it', async () => {
		expect((await verify(NOW, NOW - HOUR)).reason).toBe('ok');
		expect((await verify(NOW)).reason).toBe('ok');
	});

	it('makes a clock set back behind it clock-suspect, with the source named', async () => {
		const v = await verify(NOW - 2 * HOUR, NOW);
		expect(v).toMatchObject({ verdict: 'unverifiable', reason: 'clock-suspect' });
		expect(v.detail).toContain('server');
	});

	it('judges expiry by the later of clock and floor (within the skew the clock still passes)', async () => {
		const ok = await verify(NOW);
		const exp = ok.claims!.exp * 1000;
		// clock 2 min before exp, floor 1 min after it: within CLOCK_SKEW_SECONDS, so not suspect — but expired
		expect((await verify(exp - 2 * 60_000, exp + 60_000)).reason).toBe('expired');
		expect((await verify(exp - 2 * 60_000)).reason).toBe('ok');
	});
});
