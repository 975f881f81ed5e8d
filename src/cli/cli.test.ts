/**
 * The CLI as a user runs it: a real process, a real data directory, exit codes and one JSON line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnrolment } from '../lib/core/contract/enrolment.js';
import { COMMAND_HELP } from './help.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/tongxing.js');
const VECTORS = join(import.meta.dirname, '../../test-vectors');
let dataDir: string;
/** the seed's stdout (one persona per colour, with its ID number), from the recolour --due test */
let seeded = '';

const json = (text: string) => JSON.parse(text) as { verdict: string; reason: string };

async function tx(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
	const child = run(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir } });
	if (input !== undefined) {
		child.child.stdin!.end(input);
	}
	try {
		const { stdout, stderr } = await child;
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'tongxing-cli-'));
	const init = await tx(['keys', 'init', '--region', '440300']);
	expect(init.code).toBe(0);
}, 60_000);

describe('tongxing CLI', () => {
	it('keys init refuses to overwrite, --if-missing is quiet', async () => {
		expect((await tx(['keys', 'init'])).code).toBe(1);
		expect((await tx(['keys', 'init', '--if-missing'])).code).toBe(0);
	}, 30_000);

	it('issue → verify: valid (exit 0), then expired at a later time (exit 1), then revoked', async () => {
		const issued = await tx([
			'issue',
			'--name',
			'张三丰',
			'--id',
			'44030119900101123X',
			'--colour',
			'yellow',
			'--reason',
			'fever-declared'
		]);
		expect(issued.code).toBe(0);
		const { qr, codeId } = JSON.parse(issued.stdout) as { qr: string; codeId: string };
		const ok = await tx(['verify', qr]);
		expect(ok.code).toBe(0);
		const out = JSON.parse(ok.stdout) as { verdict: string; reason: string; claims: { colour: string; maskedName: string } };
		expect(out).toMatchObject({ verdict: 'valid', reason: 'ok', claims: { colour: 'yellow', maskedName: '张*丰' } });
		expect(ok.stdout).not.toMatch(/44030119900101/); // no full ID number anywhere
		const later = await tx(['verify', '--at', new Date(Date.now() + 2 * 86400_000).toISOString(), qr]);
		expect([later.code, json(later.stdout).reason]).toEqual([1, 'expired']);
		expect((await tx(['status-list', 'publish', '--revoke', codeId])).code).toBe(0);
		// one code id in 64 starts with '-' (base64url): still a value, not an option
		expect((await tx(['status-list', 'publish', '--revoke', '-D5DwribTOVadwsW'])).code).toBe(0);
		// A live proof from seconds ago is still inside the skew window.
		const revoked = await tx(['verify', qr]);
		expect([revoked.code, json(revoked.stdout).reason]).toEqual([1, 'revoked']);
	}, 60_000);

	it('reads the code from stdin with -', async () => {
		const { qr } = JSON.parse((await tx(['issue', '--name', '李四', '--id', '110101199003074514', '--kind', 'paper'])).stdout) as {
			qr: string;
		};
		const r = await tx(['verify', '-'], qr + '\n');
		expect([r.code, json(r.stdout).verdict]).toEqual([0, 'valid']);
	}, 30_000);

	it('verify - stops reading standard input at the length cap: an endless stream gets bad-format, not a hang', async () => {
		const child = run(process.execPath, [BIN, 'verify', '-'], { env: { ...process.env, DATA_DIR: dataDir } });
		// 4 MB and the pipe left open: a reader that waits for the end would never answer. The command exits
		// while this is still being written, so the write ends in EPIPE: expected, it stopped reading.
		const writeErrors: string[] = [];
		child.child.stdin!.on('error', (e: NodeJS.ErrnoException) => writeErrors.push(e.code ?? 'error'));
		child.child.stdin!.write('A'.repeat(4 * 1024 * 1024));
		const r = await child.then(
			(ok) => ({ code: 0, stdout: ok.stdout }),
			(e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout })
		);
		child.child.stdin!.destroy();
		expect([r.code, json(r.stdout).verdict, json(r.stdout).reason]).toEqual([1, 'invalid', 'bad-format']);
		expect(writeErrors.every((c) => c === 'EPIPE')).toBe(true);
	}, 30_000);

	it('verifies a test vector with its own documents', async () => {
		const v = JSON.parse(readFileSync(join(VECTORS, 'revoked.json'), 'utf8')) as {
			qr: string;
			trustList: string;
			statusList: string;
			rootPublicKey: string;
			now: string;
		};
		writeFileSync(join(dataDir, 'tl.b64'), v.trustList);
		writeFileSync(join(dataDir, 'sl.b64'), v.statusList);
		const r = await tx([
			'verify',
			'--trust-list',
			join(dataDir, 'tl.b64'),
			'--status-list',
			join(dataDir, 'sl.b64'),
			'--root-key',
			v.rootPublicKey,
			'--at',
			v.now,
			v.qr
		]);
		expect([r.code, json(r.stdout).reason]).toEqual([1, 'revoked']);
	}, 30_000);

	it('verifies federation vectors with --trust-bundle: another region valid, a gateway-injected key refused', async () => {
		for (const [name, code, reason] of [
			['federation-valid-other-region', 0, 'ok'],
			['federation-gateway-injected-key', 1, 'unknown-issuer']
		] as const) {
			const v = JSON.parse(readFileSync(join(VECTORS, `${name}.json`), 'utf8')) as {
				qr: string;
				trustBundle: string;
				rootPublicKey: string;
				now: string;
			};
			writeFileSync(join(dataDir, 'tb.b64'), v.trustBundle);
			const r = await tx(['verify', '--trust-bundle', join(dataDir, 'tb.b64'), '--root-key', v.rootPublicKey, '--at', v.now, v.qr]);
			expect([name, r.code, json(r.stdout).reason]).toEqual([name, code, reason]);
		}
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
		expect(printed.rootPublicKey).toBe(readFileSync(join(dataDir, 'public', 'root-public-key.txt'), 'utf8').trim());
		expect(parsed.ok && parsed.enrolment.rootPublicKey).toBe(printed.rootPublicKey);
		expect(parseEnrolment(printed.code.slice(0, -4))).toMatchObject({ ok: false });
		expect((await tx(['guard', 'enrol', 'no-such-venue'])).code).toBe(2);
	}, 30_000);

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

	it('recolour --due re-evaluates the residents whose review time has come, once', async () => {
		const seed = await tx(['seed', '--residents', '10']);
		expect(seed.code).toBe(0);
		seeded = seed.stdout;
		const file = new Database(join(dataDir, 'tongxing.sqlite'));
		const n = file.prepare('update resident_colours set review_at = 1').run().changes;
		file.close();
		expect(n).toBeGreaterThan(0);
		const first = await tx(['recolour', '--due', '--batch', '3']);
		expect([first.code, first.stdout]).toEqual([
			0,
			expect.stringMatching(new RegExp(`^${n} residents due for review; \\d+ changed colour.*, \\d+ got new codes, in \\d+ ms\n$`))
		]);
		const second = await tx(['recolour', '--due']);
		expect([second.code, second.stdout]).toEqual([0, expect.stringMatching(/^0 residents due for review; 0 changed colour/)]);
		for (const args of [['recolour'], ['recolour', '--due', '--batch', '0'], ['recolour', '--due', 'x']])
			expect((await tx(args)).code, args.join(' ')).toBe(2);
	}, 120_000);

	it('recolour --all re-evaluates everyone with progress on stderr; a wrong stored colour is put right, audited as cli', async () => {
		const file = new Database(join(dataDir, 'tongxing.sqlite'));
		const total = (file.prepare('select count(*) n from resident_colours').get() as { n: number }).n;
		const victim = file.prepare("select ref, colour from resident_colours where colour = 'green' limit 1").get() as {
			ref: string;
			colour: string;
		};
		file.prepare("update resident_colours set colour = 'red' where ref = ?").run(victim.ref);
		file.close();
		const r = await tx(['recolour', '--all']);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(new RegExp(`^re-evaluated ${total} residents with rules \\S+; [1-9]\\d* changed colour \\(.*red→green \\d+`));
		expect(r.stderr).toContain(`recolour: ${total}/${total} residents`);
		const db = new Database(join(dataDir, 'tongxing.sqlite'), { readonly: true });
		expect(db.prepare('select colour from resident_colours where ref = ?').get(victim.ref)).toEqual({ colour: 'green' });
		expect(
			db.prepare('select actor, previous_colour from resident_colour_events where ref = ? order by id desc limit 1').get(victim.ref)
		).toEqual({
			actor: 'cli',
			previous_colour: 'red'
		});
		db.close();
		expect((await tx(['recolour', '--all', '--due'])).code).toBe(2);
	}, 120_000);

	it('colours lists every resident (csv and NDJSON), filters by colour and reason', async () => {
		const db = new Database(join(dataDir, 'tongxing.sqlite'), { readonly: true });
		const rows = db.prepare('select ref, colour, reasons_json from resident_colours order by ref').all() as {
			ref: string;
			colour: string;
			reasons_json: string;
		}[];
		db.close();
		const csv = await tx(['colours']);
		expect(csv.code, csv.stderr).toBe(0);
		const lines = csv.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe('ref,colour,reasons,ruleVersion,updatedAt,region,idMasked');
		expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(rows.map((r) => `${r.ref},${r.colour}`));
		const json = await tx(['colours', '--format', 'json', '--colour', 'yellow', '--colour', 'red']);
		const listed = json.stdout
			.trimEnd()
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l) as { ref: string; colour: string; reasons: string[] });
		expect(listed.map((x) => x.ref)).toEqual(rows.filter((r) => r.colour !== 'green').map((r) => r.ref));
		expect(listed.length).toBeGreaterThan(0);
		const reason = listed[0]!.reasons[0]!;
		const byReason = await tx(['colours', '--reason', reason, '--format', 'json']);
		const withReason = rows.filter((r) => (JSON.parse(r.reasons_json) as string[]).includes(reason)).map((r) => r.ref);
		expect(
			byReason.stdout
				.trimEnd()
				.split('\n')
				.map((l) => (JSON.parse(l) as { ref: string }).ref)
		).toEqual(withReason);
		for (const args of [
			['colours', '--colour', 'blue'],
			['colours', '--reason', 'x%'],
			['colours', '--format', 'xml'],
			['colours', 'x']
		])
			expect((await tx(args)).code, args.join(' ')).toBe(2);
	}, 120_000);

	it("colours by ID number: explains that none are stored, matches the operator's list, records every lookup with its purpose", async () => {
		const noIds = await tx(['colours', '--with-id-numbers']);
		expect(noIds.code).toBe(2);
		expect(noIds.stderr).toMatch(/no clear ID numbers.*\n.*--ids FILE --purpose/);
		expect((await tx(['colours', '--ids', join(dataDir, 'ids.txt')])).code).toBe(2); // no purpose
		const ids = [...seeded.matchAll(/\s(\d{17}[\dX])\s/g)].map((m) => m[1]!);
		expect(ids.length).toBeGreaterThan(1);
		const bad = ids[0]!.slice(0, 17) + (ids[0]!.endsWith('0') ? '1' : '0');
		const stranger = '110101199003074514'; // valid, not in the city
		writeFileSync(join(dataDir, 'ids.txt'), ['idNumber', ...ids, bad, stranger, ''].join('\n'));
		const r = await tx(['colours', '--ids', join(dataDir, 'ids.txt'), '--purpose', 'flow survey 12/7', '--format', 'json']);
		expect(r.code).toBe(1); // one invalid ID number, reported by line with the part that failed
		expect(r.stderr).toContain(`ids.txt line ${ids.length + 2}: The check digit does not match`);
		const out = r.stdout
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l) as { idNumber: string; colour: string | null });
		expect(out.map((o) => o.idNumber)).toEqual([...ids, stranger]);
		expect(out.slice(0, -1).every((o) => o.colour !== null)).toBe(true);
		expect(out.at(-1)).toMatchObject({ idNumber: stranger, colour: null }); // looked up: no colour on record
		const db = new Database(join(dataDir, 'tongxing.sqlite'));
		expect((db.prepare("select count(*) n from id_number_reads where purpose = 'flow survey 12/7'").get() as { n: number }).n).toBe(
			ids.length + 1
		);
		expect(() => db.prepare('delete from id_number_reads').run()).toThrow(/append-only/);
		db.close();
	}, 120_000);

	it('staff add --role and staff role: the role is stored (officer unless said); a bad role is a usage error', async () => {
		expect((await tx(['staff', 'add', 'role.admin', '--role', 'admin', '--password-stdin'], 'correct horse battery\n')).stdout).toBe(
			'staff user role.admin (admin) added\n'
		);
		expect((await tx(['staff', 'add', 'role.plain', '--password-stdin'], 'correct horse battery\n')).stdout).toBe(
			'staff user role.plain (officer) added\n'
		);
		expect((await tx(['staff', 'role', 'role.plain', 'approver'])).stdout).toBe('staff user role.plain is now approver\n');
		for (const args of [
			['staff', 'add', 'role.bad', '--role', 'root', '--password-stdin'],
			['staff', 'role', 'role.plain', 'root'],
			['staff', 'role', 'nobody.here', 'viewer']
		]) {
			const r = await tx(args, 'correct horse battery\n');
			expect([r.code, r.stderr.split('\n').length], args.join(' ')).toEqual([2, 2]);
		}
		const db = new Database(join(dataDir, 'tongxing.sqlite'), { readonly: true });
		expect(db.prepare("select username, role from staff where username like 'role.%' order by username").all()).toEqual([
			{ username: 'role.admin', role: 'admin' },
			{ username: 'role.plain', role: 'approver' }
		]);
		db.close();
	}, 120_000);

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

	it('times in every ISO 8601 zone form: +0800 and +08 as well as +08:00 and Z', async () => {
		const { qr } = JSON.parse((await tx(['issue', '--name', '王五', '--id', '110101199003074514', '--kind', 'paper'])).stdout) as {
			qr: string;
		};
		const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19); // China local time
		for (const at of [`${now}+0800`, `${now}+08`, `${now}+08:00`, `${now.slice(0, 16)}+0800`]) {
			const r = await tx(['verify', '--at', at, qr]);
			expect([r.code, json(r.stdout).verdict], at).toEqual([0, 'valid']);
		}
		const noZone = await tx(['verify', '--at', now, qr]);
		expect([noZone.code, noZone.stderr]).toEqual([2, expect.stringContaining('needs a zone')]);
		// risk areas read the same forms (recolour/risk-areas.ts)
		const add = await tx([
			'risk-area',
			'add',
			'--name',
			'zone forms',
			'--level',
			'medium',
			'--polygon',
			'[[0,0],[0.001,0],[0.001,0.001]]',
			'--from',
			'2026-11-20T08:00+0800',
			'--until',
			'2026-11-21T08:00:00.000+08'
		]);
		expect(add.code, add.stderr).toBe(0);
		const id = /^risk area (\S+) added/.exec(add.stdout)![1]!;
		const list = await tx(['risk-area', 'list']);
		expect(list.stdout).toContain(`${id}  medium  inactive  2026-11-20T00:00:00.000Z → 2026-11-21T00:00:00.000Z  zone forms`);
	}, 60_000);

	it('import: header errors are named as such, ID errors say which part failed, +0800 times are read', async () => {
		const header = join(dataDir, 'header.csv');
		writeFileSync(header, 'idNumber,sampled,result\n110101199003074514,2026-11-20T08:00:00+0800,negative\n');
		const h = await tx(['import', 'health', header, '--kind', 'tests']);
		expect(h.code).toBe(1);
		expect(h.stderr).toContain('header: unknown column sampled');
		expect(h.stderr).toContain('header: missing column sampledAt');
		expect(h.stderr).toContain('the header row of');
		expect(h.stderr).not.toMatch(/bad rows?/);
		const rows = join(dataDir, 'rows.csv');
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

	it('garbage input is a verdict, not a crash', async () => {
		const r = await tx(['verify', 'not a code at all']);
		expect([r.code, json(r.stdout).reason]).toEqual([1, 'bad-format']);
	}, 30_000);
});
