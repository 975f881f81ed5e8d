/**
 * Rule sets as versioned data (src/lib/core/rules/rules-schema.ts): the active one, a preview of a change
 * (validated, then every resident evaluated under the current and the proposed rules: counts per colour
 * transition, core diffColours, chunk by chunk so memory stays bounded, in worker threads for a city), and saving (a new version, marked
 * active, with who saved it and when; then everyone whose colour changes is recoloured and audited with the
 * new version).
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { isUniqueViolation } from '../store/errors.js';
import { activeRuleSet, saveActiveRuleSet } from '../store/rule-sets.js';
import { registeredRefs } from '../store/identity-sources.js';
import { allColouredRefs } from '../store/resident-colours.js';
import { diffColours, type ColourDiff, type Transition } from '../../core/rules/diff.js';
import { rulesErrorsToFieldErrors, validateRules, type RuleSet } from '../../core/rules/rules-schema.js';
import { buildWorldIndex, indexFits } from '../../core/rules/spatial-index.js';
import type { Colour } from '../../core/claims.js';
import { activeRules, invalidateEngine, engineFor } from './engine.js';
import { EvaluatePool, POOL_MIN_RESIDENTS, workerCount } from './evaluate-pool.js';
import { IN_CHUNK, loadPackedFacts, loadPersonFacts, loadWorldFacts } from './load-facts.js';
import { recolour, type RecolourResult } from './recolour.js';
import type { StaffDecision } from '../issuance/decision.js';

export function parseRuleSet(body: unknown): RuleSet {
	const r = validateRules(body);
	if (!r.ok) throw new DomainError('rules/invalid', { errors: rulesErrorsToFieldErrors(r.errors) });
	return r.rules;
}

/** how many changed residents a preview names */
const SAMPLES = 20;

export async function getActiveRules(deps: IssuerDeps) {
	const row = await activeRuleSet(deps.db);
	const { rules } = await activeRules(deps.db);
	return { rules, savedAt: row ? new Date(row.saved_at).toISOString() : null, savedBy: row?.saved_by ?? null, builtIn: row === undefined };
}

/** Every resident ref: the register, plus anyone with a colour (facts may arrive before the register entry). */
export async function allResidents(deps: IssuerDeps): Promise<string[]> {
	const refs = new Set<string>();
	for (const r of await registeredRefs(deps.db)) refs.add(r);
	for (const r of await allColouredRefs(deps.db)) refs.add(r);
	return [...refs];
}

export async function previewRules(
	deps: IssuerDeps,
	body: unknown,
	opts: { workers?: number } = {}
): Promise<ColourDiff & { fromVersion: string; toVersion: string }> {
	const next = parseRuleSet(body);
	return previewRuleSet(deps, next, opts);
}

/** previewRules for a parsed rule set. */
export async function previewRuleSet(
	deps: IssuerDeps,
	next: RuleSet,
	opts: { workers?: number } = {}
): Promise<ColourDiff & { fromVersion: string; toVersion: string }> {
	const { rules: current } = await activeRules(deps.db);
	const now = deps.clock();
	const nowSec = Math.floor(now / 1000);
	const world = await loadWorldFacts(deps.db, now);
	const refs = await allResidents(deps);
	const total: {
		total: number;
		changed: number;
		transitions: Partial<Record<Transition, number>>;
		before: Record<Colour, number>;
		after: Record<Colour, number>;
		samples: ColourDiff['samples'];
	} = {
		total: 0,
		changed: 0,
		transitions: {},
		before: { green: 0, yellow: 0, red: 0 },
		after: { green: 0, yellow: 0, red: 0 },
		samples: []
	};
	const add = (d: ColourDiff) => {
		total.total += d.total;
		total.changed += d.changed;
		for (const [k, n] of Object.entries(d.transitions) as [Transition, number][]) total.transitions[k] = (total.transitions[k] ?? 0) + n;
		for (const c of ['green', 'yellow', 'red'] as const) {
			total.before[c] += d.before[c];
			total.after[c] += d.after[c];
		}
		total.samples.push(...d.samples.slice(0, SAMPLES - total.samples.length));
	};
	// Everyone is evaluated twice: in worker threads for a city (evaluate-pool.ts), chunk diffs added in chunk
	// order so the samples are the first changed residents either way.
	const workers = opts.workers ?? (refs.length >= POOL_MIN_RESIDENTS ? workerCount() : 0);
	const pool = workers > 0 ? await EvaluatePool.start(current, world, workers, next) : null;
	try {
		if (pool) {
			const queue: Promise<ColourDiff>[] = [];
			for (let i = 0; i < refs.length; i += IN_CHUNK) {
				queue.push(pool.diff(await loadPackedFacts(deps.db, refs.slice(i, i + IN_CHUNK), now), nowSec, SAMPLES));
				// a rejected diff is awaited at the latest after the loop; keep it from counting as unhandled meanwhile
				queue.at(-1)!.catch(() => undefined);
				if (queue.length >= 2 * pool.size) add(await queue.shift()!);
			}
			for (const d of queue) add(await d);
		} else {
			const oldIndex = buildWorldIndex(world, current);
			const newIndex = indexFits(oldIndex, next) ? oldIndex : buildWorldIndex(world, next);
			for (let i = 0; i < refs.length; i += IN_CHUNK) {
				const facts = await loadPersonFacts(deps.db, refs.slice(i, i + IN_CHUNK), now);
				add(diffColours(current, next, facts.values(), world, nowSec, { oldIndex, newIndex, sampleSize: SAMPLES - total.samples.length }));
			}
		}
	} finally {
		await pool?.close();
	}
	return { ...total, fromVersion: current.version, toVersion: next.version };
}

export async function saveRules(
	deps: IssuerDeps,
	body: unknown,
	actor: string
): Promise<{ version: string; recoloured: Pick<RecolourResult, 'evaluated' | 'changed' | 'transitions' | 'ms'> }> {
	return applyRules(deps, parseRuleSet(body), actor);
}

/**
 * Re-evaluates every resident (the register and anyone with a colour) with `rules` (default: the active ones) over
 * the current facts: what a rules save runs, and `tongxing recolour --all` on demand.
 */
export async function recolourEveryone(
	deps: IssuerDeps,
	actor: string,
	onProgress?: (done: number, total: number) => void,
	rules?: RuleSet,
	staff?: StaffDecision
): Promise<RecolourResult> {
	const world = await loadWorldFacts(deps.db, deps.clock());
	const engine = engineFor(rules ?? (await activeRules(deps.db)).rules, world);
	return recolour(deps, await allResidents(deps), { actor, engine, ...(onProgress ? { onProgress } : {}), ...(staff ? { staff } : {}) });
}

/** Saves a parsed rule set as the active version and recolours everyone; `staff`: the proposal it carries out (proposals/). */
export async function applyRules(
	deps: IssuerDeps,
	rules: RuleSet,
	actor: string,
	staff?: StaffDecision
): Promise<{ version: string; recoloured: Pick<RecolourResult, 'evaluated' | 'changed' | 'transitions' | 'ms'> }> {
	const now = deps.clock();
	try {
		await saveActiveRuleSet(deps.db, { version: rules.version, rulesJson: JSON.stringify(rules), savedAt: now, savedBy: actor });
	} catch (e) {
		if (isUniqueViolation(e)) throw new DomainError('rules/version-exists', { params: { version: rules.version } });
		throw e;
	}
	invalidateEngine();
	const r = await recolourEveryone(deps, actor, undefined, rules, staff);
	return { version: rules.version, recoloured: { evaluated: r.evaluated, changed: r.changed, transitions: r.transitions, ms: r.ms } };
}
