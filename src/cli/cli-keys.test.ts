/**
 * `tongxing keys init` and `tongxing guard enrol`: keys are never overwritten, and an enrolment code carries the pinned
 * root key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnrolment } from '../lib/core/contract/enrolment.js';
import { cliDataDir } from './cli-data-dir.js';

const cli = cliDataDir();
const { tx } = cli;

describe('tongxing keys init / guard enrol', () => {
	it('keys init refuses to overwrite, --if-missing is quiet', async () => {
		expect((await tx(['keys', 'init'])).code).toBe(1);
		expect((await tx(['keys', 'init', '--if-missing'])).code).toBe(0);
	}, 30_000);

	it('guard enrol prints a TXE1 enrolment code the scanner accepts, with the pinned root key (demo venues seeded)', async () => {
		const out = await tx(['guard', 'enrol', 'demo-hospital']);
		expect(out.code).toBe(0);
		const printed = JSON.parse(out.stdout) as { code: string; token: string; rootPublicKey: string };
		const parsed = parseEnrolment(printed.code);
		expect(parsed).toMatchObject({
			ok: true,
			enrolment: { token: printed.token, venue: { id: 'demo-hospital', policy: 'green-negative-48h', region: '440304' } }
		});
		expect(printed.rootPublicKey).toBe(readFileSync(join(cli.path, 'public', 'root-public-key.txt'), 'utf8').trim());
		expect(parsed.ok && parsed.enrolment.rootPublicKey).toBe(printed.rootPublicKey);
		expect(parseEnrolment(printed.code.slice(0, -4))).toMatchObject({ ok: false });
		expect((await tx(['guard', 'enrol', 'no-such-venue'])).code).toBe(2);
	}, 30_000);
});
