/**
 * The way back to green, from the decision's explanation (core/contract/resident.ts, served beside the codes and
 * kept on the device with them): pure, the clock as a parameter. Times in the explanation are Unix seconds; what
 * this returns is in ms, like the rest of the app.
 */
import type { Explanation, PathStepWire } from '$lib/core/contract/resident';

export type GreenOutlook =
	/** nothing left to do: green at `at` if nothing new happens (at ≤ now: the time has come, a refresh brings it) */
	| { kind: 'on-date'; at: number }
	/**
	 * tests still to do; green once they are done, not before `notBefore` (a hold or an order); without them, green
	 * at `byItself` when every reason has aged out of its rule's look-back (null: some reason never ends by itself)
	 */
	| { kind: 'after-tests'; left: number; notBefore: number | null; byItself: number | null }
	/** released by the health authority, no date known yet */
	| { kind: 'release' };

/** The reasons' steps grouped by reason, in the order the explanation lists them (most severe first). */
export function stepsByReason(path: readonly PathStepWire[]): { reason: string; steps: PathStepWire[] }[] {
	const groups: { reason: string; steps: PathStepWire[] }[] = [];
	for (const s of path) {
		const g = groups.find((x) => x.reason === s.reason);
		if (g) g.steps.push(s);
		else groups.push({ reason: s.reason, steps: [s] });
	}
	return groups;
}

/** When the colour turns green if nothing new happens, or what it waits for. Null: no path (green, or none known). */
export function greenOutlook(explanation: Explanation | null | undefined): GreenOutlook | null {
	const path = explanation?.path ?? [];
	if (path.length === 0) return null;
	let end = -Infinity;
	let left = 0;
	let release = false;
	for (const s of path) {
		if (s.kind === 'negative-tests') left += Math.max(0, s.count - s.done);
		else if (s.kind === 'release' && s.until === undefined) release = true;
		else if (s.until !== undefined) end = Math.max(end, s.until);
	}
	if (release) return { kind: 'release' };
	if (left > 0) {
		const ends = (explanation?.details ?? []).map((d) => d.endsAt);
		const byItself = ends.length > 0 && ends.every((t) => typeof t === 'number') ? Math.max(...ends) * 1000 : null;
		return { kind: 'after-tests', left, notBefore: end === -Infinity ? null : end * 1000, byItself };
	}
	return { kind: 'on-date', at: end === -Infinity ? 0 : end * 1000 };
}

export type ReasonSource = 'health' | 'public-security' | 'carrier' | 'venue' | 'declaration' | 'authority';

/** Where the facts behind a reason come from (docs/data-sources.md): the source to name beside the reason. */
export function reasonSource(reason: string): ReasonSource {
	switch (reason) {
		case 'confirmed-case':
		case 'positive-test':
		case 'quarantine-order':
			return 'health';
		case 'close-contact':
		case 'secondary-contact':
			return 'public-security';
		case 'high-risk-area-stay':
		case 'medium-risk-area-stay':
		case 'spatiotemporal-companion':
			return 'carrier';
		case 'venue-co-visit':
			return 'venue';
		case 'fever-declared':
		case 'symptoms-declared':
			return 'declaration';
		default:
			return 'authority';
	}
}
