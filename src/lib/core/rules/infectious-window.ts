/**
 * A confirmed case's infectious window: the time during which the case's trajectory and venue visits are
 * evidence against others. 新型冠状病毒肺炎防控方案（第九版） traces close contacts from 4 days before symptom
 * onset (symptomatic cases) or before the first positive sample (asymptomatic infections) until the case is
 * isolated; the rules' `infectiousLookbackDays` is that "4 days" (docs/rules.md, "The infectious window").
 * From: onset, else the first positive sample, else confirmation — minus the look-back. Until (exclusive):
 * isolation or confirmation, whichever the facts give first (a confirmed case is isolated by then).
 */
import type { PersonFacts } from './facts.js';
import { DAY_S, listOf } from './window.js';

/** What the facts say about one case's course (Unix seconds); any field may be unknown. */
export interface CaseTimeline {
	readonly ref: string;
	readonly onsetAt?: number;
	readonly firstPositiveAt?: number;
	readonly confirmedAt?: number;
	readonly isolatedAt?: number;
}

export interface TimeWindow {
	/** inclusive */
	readonly from: number;
	/** exclusive */
	readonly until: number;
}

export const ALWAYS: TimeWindow = { from: -Infinity, until: Infinity };

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const earliest = (xs: readonly unknown[]): number | undefined => {
	let out: number | undefined;
	for (const x of xs) if (finite(x) && (out === undefined || x < out)) out = x;
	return out;
};

/** The timeline a case's own facts give: earliest confirmation, onset and isolation recorded, first positive sample. */
export function caseTimeline(facts: PersonFacts): CaseTimeline {
	const cases = listOf(facts.cases);
	const positives = listOf(facts.tests).filter((t) => t?.result === 'positive');
	const confirmedAt = earliest(cases.map((c) => c?.confirmedAt));
	const onsetAt = earliest(cases.map((c) => c?.onsetAt));
	const isolatedAt = earliest(cases.map((c) => c?.isolatedAt));
	const firstPositiveAt = earliest(positives.map((t) => t?.sampledAt));
	return {
		ref: facts.ref,
		...(onsetAt === undefined ? {} : { onsetAt }),
		...(firstPositiveAt === undefined ? {} : { firstPositiveAt }),
		...(confirmedAt === undefined ? {} : { confirmedAt }),
		...(isolatedAt === undefined ? {} : { isolatedAt })
	};
}

/**
 * The window for a rule's look-back (days; null: the rule does not restrict — every loaded point counts, what
 * rule sets saved before the field meant). Without a timeline the case is not restricted either.
 */
export function infectiousWindow(t: CaseTimeline | undefined, lookbackDays: number | null): TimeWindow {
	if (lookbackDays === null || !t) return ALWAYS;
	const anchor = finite(t.onsetAt) ? t.onsetAt : finite(t.firstPositiveAt) ? t.firstPositiveAt : t.confirmedAt;
	const until = earliest([t.isolatedAt, t.confirmedAt]) ?? Infinity;
	const from = finite(anchor) ? anchor - lookbackDays * DAY_S : -Infinity;
	return { from, until };
}

/** ref → window, for every case in the list. */
export function infectiousWindows(
	timelines: readonly CaseTimeline[] | undefined,
	lookbackDays: number | null
): ReadonlyMap<string, TimeWindow> {
	const out = new Map<string, TimeWindow>();
	if (lookbackDays === null) return out;
	for (const t of listOf(timelines)) if (t && typeof t.ref === 'string') out.set(t.ref, infectiousWindow(t, lookbackDays));
	return out;
}
