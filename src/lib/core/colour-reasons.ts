/**
 * Stable reason codes for a non-green colour. The numbers travel inside the code (claim -65537 / 6) and
 * must never be renumbered; new reasons get new numbers. A verifier that meets a number it does not know
 * shows `reason-N` rather than rejecting the code, so older scanners keep working when rules grow.
 */
export const COLOUR_REASONS = {
	'confirmed-case': 1,
	'positive-test': 2,
	'quarantine-order': 3,
	'close-contact': 4,
	'secondary-contact': 5,
	'high-risk-area-stay': 6,
	'medium-risk-area-stay': 7,
	'spatiotemporal-companion': 8,
	'venue-co-visit': 9,
	'fever-declared': 10,
	'symptoms-declared': 11,
	'authority-decision': 12
} as const;

export type KnownColourReason = keyof typeof COLOUR_REASONS;
export type ColourReason = KnownColourReason | `reason-${number}`;

const BY_NUMBER = new Map<number, KnownColourReason>(Object.entries(COLOUR_REASONS).map(([name, n]) => [n, name as KnownColourReason]));

export function colourReasonFromNumber(n: number): ColourReason {
	return BY_NUMBER.get(n) ?? `reason-${n}`;
}

export function colourReasonToNumber(reason: ColourReason): number {
	const known = COLOUR_REASONS[reason as KnownColourReason];
	if (known !== undefined) return known;
	const m = /^reason-(\d{1,4})$/.exec(reason);
	if (!m) throw new RangeError(`unknown colour reason: ${reason}`);
	return Number(m[1]);
}

/** Whether two reason lists are the same (the engine emits reasons in a fixed order, so order counts). */
export function sameReasons(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
