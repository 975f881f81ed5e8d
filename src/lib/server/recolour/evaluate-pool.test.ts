/**
 * Evaluation in worker threads (evaluate-pool.ts) gives exactly what in-process evaluation gives, and a recolour
 * run through the pool writes what the in-process engine decides: colours, one audit row per change, nothing
 * for the unchanged; a rules preview through the pool gives the in-process preview. Workers run the TypeScript sources through bin/ts-worker.js, as the built server does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../core/rules/default-rules.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { seedCity } from '../../../demo/seed-city.js';
import { engineFor, loadEngine } from './engine.js';
import { evaluateFacts } from './evaluate-batch.js';
import { EvaluatePool, workerCount } from './evaluate-pool.js';
import { loadPackedFacts, loadWorldFacts } from './load-facts.js';
import { unpackFacts } from '../../core/rules/packed-facts.js';
import { recolour } from './recolour.js';
import { allResidents, previewRules } from './rule-sets.js';

let f: IssuerFixture;
beforeAll(async () => {
	f = await issuerFixture();
	await seedCity(f.deps, { residents: 1000 });
}, 120_000);
afterAll(() => f.close());

describe('evaluation in worker threads', () => {
	it('evaluates every resident exactly as in-process', async () => {
		const now = f.deps.clock();
		const engine = await loadEngine(f.deps.db, now);
		const packed = await loadPackedFacts(f.deps.db, await allResidents(f.deps), now);
		const inProcess = packed.map((p) => evaluateFacts(engine, unpackFacts(p), Math.floor(now / 1000)));
		expect(new Set(inProcess.map((r) => r.ev.colour))).toEqual(new Set(['green', 'yellow', 'red']));
		const pool = (await EvaluatePool.start(engine.rules, engine.world, 2))!;
		try {
			expect(pool.size).toBe(2);
			// in batches spread over both workers, as a recolour run sends them
			const batches = await Promise.all([0, 250, 500, 750].map((i) => pool.run(packed.slice(i, i + 250), Math.floor(now / 1000))));
			expect(batches.flat()).toEqual(inProcess);
		} finally {
			await pool.close();
		}
	}, 60_000);

	it('a recolour run through the pool writes what the in-process engine decides', async () => {
		const now = f.deps.clock();
		const refs = await allResidents(f.deps);
		const rules = {
			...DEFAULT_RULES,
			version: 'no-companions',
			rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...DEFAULT_RULES.rules['spatiotemporal-companion'], active: false } }
		};
		const engine = engineFor(rules, await loadWorldFacts(f.deps.db, now));
		const before = new Map(
			(await f.deps.db.selectFrom('resident_colours').select(['ref', 'colour', 'reasons_json']).execute()).map((r) => [r.ref, r])
		);
		const events = async () =>
			Number(
				(
					await f.deps.db
						.selectFrom('resident_colour_events')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		const eventsBefore = await events();
		let progress = 0;
		const out = await recolour(f.deps, refs, { actor: 'test/pool', engine, workers: 2, onProgress: (done) => (progress = done) });
		expect(progress).toBe(refs.length);
		expect(out.evaluated).toBe(refs.length);
		expect(out.changed).toBeGreaterThan(0);
		const facts = await loadPackedFacts(f.deps.db, refs, now);
		const expected = new Map(facts.map((p) => [p.facts.ref, evaluateFacts(engine, unpackFacts(p), Math.floor(now / 1000)).ev]));
		const changedRefs = [...expected]
			.filter(([ref, ev]) => before.get(ref)!.colour !== ev.colour || before.get(ref)!.reasons_json !== JSON.stringify(ev.reasons))
			.map(([ref]) => ref);
		expect(out.changed).toBe(changedRefs.length);
		expect(await events()).toBe(eventsBefore + changedRefs.length);
		for (const r of await f.deps.db.selectFrom('resident_colours').select(['ref', 'colour', 'reasons_json', 'rule_version']).execute()) {
			const ev = expected.get(r.ref)!;
			expect({ colour: r.colour, reasons: JSON.parse(r.reasons_json) as unknown }).toEqual({ colour: ev.colour, reasons: ev.reasons });
			if (changedRefs.includes(r.ref)) expect(r.rule_version).toBe('no-companions');
		}
	}, 60_000);

	it('a rules preview in worker threads counts the same transitions and names the same first residents', async () => {
		const next = {
			...DEFAULT_RULES,
			version: 'preview-no-companions',
			rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...DEFAULT_RULES.rules['spatiotemporal-companion'], active: false } }
		};
		const inProcess = await previewRules(f.deps, next, { workers: 0 });
		expect(inProcess.changed).toBeGreaterThan(0);
		expect(inProcess.samples.length).toBe(Math.min(20, inProcess.changed));
		expect(await previewRules(f.deps, next, { workers: 2 })).toEqual(inProcess);
	}, 60_000);

	it('sizes the pool from TONGXING_WORKERS, else one worker per core when there are two or more', () => {
		expect(workerCount({ TONGXING_WORKERS: '0' })).toBe(0);
		expect(workerCount({ TONGXING_WORKERS: '3' })).toBe(3);
		expect(workerCount({ TONGXING_WORKERS: 'many' })).toBe(0);
		expect(workerCount({})).toBeGreaterThanOrEqual(0);
	});
});
