/**
 * `tongxing import health`: header errors named as such, ID errors say which part failed, +0800 times read.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDataDir } from './cli-data-dir.js';

const cli = cliDataDir();
const { tx } = cli;

describe('tongxing import', () => {
	it('import: header errors are named as such, ID errors say which part failed, +0800 times are read', async () => {
		const header = join(cli.path, 'header.csv');
		writeFileSync(header, 'idNumber,sampled,result\n110101199003074514,2026-11-20T08:00:00+0800,negative\n');
		const h = await tx(['import', 'health', header, '--kind', 'tests']);
		expect(h.code).toBe(1);
		expect(h.stderr).toContain('header: unknown column sampled');
		expect(h.stderr).toContain('header: missing column sampledAt');
		expect(h.stderr).toContain('the header row of');
		expect(h.stderr).not.toMatch(/bad rows?/);
		const rows = join(cli.path, 'rows.csv');
		const at = new Date(Date.now() - 86400_000 + 8 * 3600_000).toISOString().slice(0, 19);
		writeFileSync(rows, `idNumber,sampledAt,result\n110101199003074515,${at}+0800,negative\n110101199013074514,${at}+08,negative\n`);
		const bad = await tx(['import', 'health', rows, '--kind', 'tests']);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('line 2: idNumber: The check digit does not match');
		expect(bad.stderr).toContain('line 3: idNumber: The date of birth in the ID number is not valid');
		expect(bad.stderr).toContain('2 bad rows');
		writeFileSync(
			rows,
			`idNumber,sampledAt,result\n110101199003074514,${at}+0800,negative\n110101199003074514,${at.slice(0, 16)}+08,negative\n`
		);
		const ok = await tx(['import', 'health', rows, '--kind', 'tests']);
		expect([ok.code, ok.stdout], ok.stderr).toEqual([0, expect.stringMatching(/^imported 2 tests rows/)]);
	}, 120_000);
});
