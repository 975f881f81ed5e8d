/**
 * Usage errors and help: exit 2 with one line and no stack trace, an unknown option named, --help on every command.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_HELP } from './help.js';
import { cliDataDir } from './cli-data-dir.js';

const { tx } = cliDataDir();

describe('tongxing usage and help', () => {
	it('usage errors exit 2 with one line and no stack trace', async () => {
		for (const args of [
			['verify'],
			['verify', '--at', 'yesterday', 'TX1:'],
			['verify', '--nope', 'x'],
			['frobnicate'],
			['issue', '--name', 'x']
		]) {
			const r = await tx(args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr).not.toMatch(/\n\s+at /);
		}
	}, 60_000);

	it('--help and -h on every command and subcommand: usage, options, an example, exit 0', async () => {
		const top = await tx(['--help']);
		expect(top.code).toBe(0);
		const names = [...top.stdout.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!);
		expect(names.length).toBeGreaterThan(10);
		for (const n of names) expect(COMMAND_HELP[n], n).toBeDefined();
		for (const [key, text] of Object.entries(COMMAND_HELP)) {
			expect(text, key).toMatch(new RegExp(`^usage: tongxing ${key}`));
			expect(text, key).toMatch(/\nexample: .*tongxing /);
		}
		for (const args of [
			['import', '--help'],
			['recolour', '--help'],
			['keys', 'rotate', '-h'],
			['risk-area', 'add', '--help'],
			['help', 'colours']
		]) {
			const r = await tx(args);
			const key = args[0] === 'help' ? args[1]! : args.filter((a) => !a.startsWith('-')).join(' ');
			expect([r.code, r.stdout.trimEnd()], args.join(' ')).toEqual([0, COMMAND_HELP[key]]);
		}
	}, 120_000);

	it('an unknown option is one line that names it and points to --help (exit 2)', async () => {
		for (const [args, where] of [
			[['import', 'health', 'x.csv', '--kind', 'tests', '--frob'], 'import'],
			[['recolour', '--due', '--nope'], 'recolour'],
			[['keys', 'rotate', '--bogus'], 'keys rotate'],
			[['staff', 'add', 'bob', '--bogus'], 'staff add'],
			[['source', 'list', '--bogus'], 'source list']
		] as const) {
			const r = await tx([...args]);
			const option = args.find((a) => a.startsWith('--') && !['--kind', '--due'].includes(a));
			expect([r.code, r.stderr], args.join(' ')).toEqual([
				2,
				`tongxing ${args[0]}: unknown option ${option}; see tongxing ${where} --help\n`
			]);
		}
	}, 120_000);
});
