/**
 * The preview of a rules change: how many people would change colour, before the new rules are saved.
 * Pure: the caller streams the population (the server reads it from storage) and gets counts per
 * transition and a small, deterministic sample of refs (the first ones met, in the caller's order).
 */
import type { Colour } from '../claims.js';
import { evaluate } from './evaluate.js';
import type { PersonFacts, WorldFacts } from './facts.js';
import type { RuleSet } from './rules-schema.js';
import { buildWorldIndex, indexFits, type WorldIndex } from './spatial-index.js';

export type Transition = `${Colour}->${Colour}`;

export interface ColourDiff {
	readonly total: number;
	/** people whose colour differs */
	readonly changed: number;
	/** counts of changed people by transition, e.g. { 'yellow->green': 12 } (unchanged colours are not listed) */
	readonly transitions: Partial<Record<Transition, number>>;
	/** colour counts under each rule set */
	readonly before: Record<Colour, number>;
	readonly after: Record<Colour, number>;
	readonly samples: { readonly ref: string; readonly from: Colour; readonly to: Colour }[];
}

export interface DiffOptions {
	/** how many changed refs to return (default 20) */
	readonly sampleSize?: number;
	/** prebuilt indexes (e.g. reused across previews); built from `world` when absent or not fitting */
	readonly oldIndex?: WorldIndex;
	readonly newIndex?: WorldIndex;
}

export function diffColours(
	oldRules: RuleSet,
	newRules: RuleSet,
	people: Iterable<PersonFacts>,
	world: WorldFacts,
	now: number,
	options: DiffOptions = {}
): ColourDiff {
	const sampleSize = options.sampleSize ?? 20;
	const oldIndex = options.oldIndex && indexFits(options.oldIndex, oldRules) ? options.oldIndex : buildWorldIndex(world, oldRules);
	const newIndex =
		options.newIndex && indexFits(options.newIndex, newRules)
			? options.newIndex
			: indexFits(oldIndex, newRules)
				? oldIndex
				: buildWorldIndex(world, newRules);
	const before: Record<Colour, number> = { green: 0, yellow: 0, red: 0 };
	const after: Record<Colour, number> = { green: 0, yellow: 0, red: 0 };
	const transitions: Partial<Record<Transition, number>> = {};
	const samples: { ref: string; from: Colour; to: Colour }[] = [];
	let total = 0,
		changed = 0;
	for (const person of people) {
		total++;
		const from = evaluate(oldRules, person, oldIndex, now).colour;
		const to = evaluate(newRules, person, newIndex, now).colour;
		before[from]++;
		after[to]++;
		if (from === to) continue;
		changed++;
		const key: Transition = `${from}->${to}`;
		transitions[key] = (transitions[key] ?? 0) + 1;
		if (samples.length < sampleSize) samples.push({ ref: person.ref, from, to });
	}
	return { total, changed, transitions, before, after, samples };
}
