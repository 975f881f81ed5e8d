/**
 * An engine: rules plus the world index built once from the world facts, evaluating one resident at a time
 * with the pure core evaluator. Apart from engine.ts (which loads rules and facts from storage) so that
 * evaluate-worker.ts builds one without importing the database layer (worker start-up time).
 */
import type { PersonFacts, WorldFacts } from '../../core/rules/facts.js';
import { evaluate, type Evaluation } from '../../core/rules/evaluate.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { buildWorldIndex, type WorldIndex } from '../../core/rules/spatial-index.js';

export type { Evaluation };

export interface Engine {
	readonly ruleVersion: string;
	readonly rules: RuleSet;
	readonly world: WorldFacts;
	readonly index: WorldIndex;
	evaluate(facts: PersonFacts, nowSec: number): Evaluation;
}

export function engineFor(rules: RuleSet, world: WorldFacts, index: WorldIndex = buildWorldIndex(world, rules)): Engine {
	return { ruleVersion: rules.version, rules, world, index, evaluate: (facts, now) => evaluate(rules, facts, index, now) };
}
