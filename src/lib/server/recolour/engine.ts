/**
 * The rules engine as a recolour run uses it: the active rule set (rule_sets, else DEFAULT_RULES) and a world
 * index built once per run (src/lib/core/rules spatial-index.ts), then `evaluate(personFacts, now)` per
 * resident. The evaluator is pure core code; this file only loads its inputs.
 */
import type { Db } from '../store/db.js';
import { activeRuleSet } from '../store/rule-sets.js';
import { DEFAULT_RULES } from '../../core/rules/default-rules.js';
import { validateRules, type RuleSet } from '../../core/rules/rules-schema.js';
import { engineFor, type Engine } from './engine-for.js';
import { loadWorldFacts } from './load-facts.js';

export { engineFor, type Engine, type Evaluation } from './engine-for.js';

/**
 * The active rule set: the saved one marked active, else the built-in defaults. A saved document was validated
 * when saved; validating it again fills the fields added to the format since (rules-schema.ts: their absent
 * value keeps the behaviour the document was saved with).
 */
export async function activeRules(db: Db): Promise<{ rules: RuleSet; id: number | null }> {
	const row = await activeRuleSet(db);
	if (!row) return { rules: DEFAULT_RULES, id: null };
	const stored = JSON.parse(row.rules_json) as unknown;
	const checked = validateRules(stored);
	return { rules: checked.ok ? checked.rules : (stored as RuleSet), id: row.id };
}

let cache: { key: object; at: number; engine: Engine } | undefined;
const CACHE_MS = 60_000;

/** Forget the cached engine (facts or rules changed). */
export function invalidateEngine(): void {
	cache = undefined;
}

/**
 * The active rules over the current world facts. `cacheKey` (the app's database handle): reuse an engine built
 * for it in the last minute — declarations use this; recolour runs after new facts build a fresh one. `db` may
 * be the caller's transaction (on SQLite a query outside it would wait for it).
 */
export async function loadEngine(db: Db, nowMs: number, opts: { cacheKey?: object } = {}): Promise<Engine> {
	if (opts.cacheKey && cache && cache.key === opts.cacheKey && nowMs - cache.at < CACHE_MS && nowMs >= cache.at) return cache.engine;
	const world = await loadWorldFacts(db, nowMs);
	const engine = engineFor((await activeRules(db)).rules, world);
	if (opts.cacheKey) cache = { key: opts.cacheKey, at: nowMs, engine };
	return engine;
}
