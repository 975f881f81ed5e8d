/**
 * Time windows shared by the matchers, the world index and the evaluator (Unix seconds). A leaf module: it
 * imports nothing, so any rules module can use it without an import cycle.
 */

export const DAY_S = 86_400;

/** Start of the look-back window: an event at exactly now − days·24 h is inside (inclusive). */
export function windowStart(now: number, lookbackDays: number | null): number {
	return lookbackDays === null ? -Infinity : now - lookbackDays * DAY_S;
}

/** The list, or [] for anything that is not an array (facts arrive from storage; a bad row must not throw). */
export function listOf<T>(x: readonly T[] | null | undefined): readonly T[] {
	return Array.isArray(x) ? (x as readonly T[]) : [];
}
