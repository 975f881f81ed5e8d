/**
 * `tongxing colours` on a seeded city: every resident listed (csv and NDJSON), filters, and lookups by ID number
 * with their purpose recorded.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir } from './cli-data-dir.js';

const cli = cliDataDir();
const { tx } = cli;
/** the seed's stdout (one persona per colour, with its ID number) */
let seeded = '';

beforeAll(async () => {
	const seed = await tx(['seed', '--residents', '10']);
	expect(seed.code).toBe(0);
	seeded = seed.stdout;
}, 120_000);

describe('tongxing colours', () => {
	it('colours lists every resident (csv and NDJSON), filters by colour and reason', async () => {
		const db = cli.sqlite({ readonly: true });
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
		expect((await tx(['colours', '--ids', join(cli.path, 'ids.txt')])).code).toBe(2); // no purpose
		const ids = [...seeded.matchAll(/\s(\d{17}[\dX])\s/g)].map((m) => m[1]!);
		expect(ids.length).toBeGreaterThan(1);
		const bad = ids[0]!.slice(0, 17) + (ids[0]!.endsWith('0') ? '1' : '0');
		const stranger = '110101199003074514'; // valid, not in the city
		writeFileSync(join(cli.path, 'ids.txt'), ['idNumber', ...ids, bad, stranger, ''].join('\n'));
		const r = await tx(['colours', '--ids', join(cli.path, 'ids.txt'), '--purpose', 'flow survey 12/7', '--format', 'json']);
		expect(r.code).toBe(1); // one invalid ID number, reported by line with the part that failed
		expect(r.stderr).toContain(`ids.txt line ${ids.length + 2}: The check digit does not match`);
		const out = r.stdout
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l) as { idNumber: string; colour: string | null });
		expect(out.map((o) => o.idNumber)).toEqual([...ids, stranger]);
		expect(out.slice(0, -1).every((o) => o.colour !== null)).toBe(true);
		expect(out.at(-1)).toMatchObject({ idNumber: stranger, colour: null }); // looked up: no colour on record
		const db = cli.sqlite();
		expect((db.prepare("select count(*) n from id_number_reads where purpose = 'flow survey 12/7'").get() as { n: number }).n).toBe(
			ids.length + 1
		);
		expect(() => db.prepare('delete from id_number_reads').run()).toThrow(/append-only/);
		db.close();
	}, 120_000);
});
