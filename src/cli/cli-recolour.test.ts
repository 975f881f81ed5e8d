/**
 * `tongxing recolour --due` and `--all` on a seeded city: who is re-evaluated, what is printed, what is audited.
 */
import { describe, expect, it } from 'vitest';
import { cliDataDir } from './cli-data-dir.js';

const cli = cliDataDir();
const { tx } = cli;

describe('tongxing recolour', () => {
	it('recolour --due re-evaluates the residents whose review time has come, once', async () => {
		const seed = await tx(['seed', '--residents', '10']);
		expect(seed.code).toBe(0);
		const file = cli.sqlite();
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
		const file = cli.sqlite();
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
		const db = cli.sqlite({ readonly: true });
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
});
