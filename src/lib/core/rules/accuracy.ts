/**
 * Accuracy of an exposure predictor against ground truth (the bench compares the grid and precise
 * companion methods on the demo city). Only refs present in `truth` are scored; a ref missing from
 * `predicted` counts as predicted not exposed. Rates with an empty denominator are null.
 */
export interface Accuracy {
	readonly truePositives: number;
	readonly falsePositives: number;
	readonly falseNegatives: number;
	readonly trueNegatives: number;
	/** predicted refs not in truth (not scored) */
	readonly unscored: number;
	/** FP / (FP + TN): the false-yellow rate among people who were not exposed */
	readonly falsePositiveRate: number | null;
	/** TP / (TP + FN) */
	readonly recall: number | null;
	/** TP / (TP + FP) */
	readonly precision: number | null;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function accuracy(predicted: ReadonlyMap<string, boolean>, truth: ReadonlyMap<string, boolean>): Accuracy {
	let tp = 0,
		fp = 0,
		fn = 0,
		tn = 0,
		unscored = 0;
	for (const [ref, exposed] of truth) {
		const p = predicted.get(ref) === true;
		if (exposed && p) tp++;
		else if (exposed) fn++;
		else if (p) fp++;
		else tn++;
	}
	for (const ref of predicted.keys()) if (!truth.has(ref)) unscored++;
	return {
		truePositives: tp,
		falsePositives: fp,
		falseNegatives: fn,
		trueNegatives: tn,
		unscored,
		falsePositiveRate: ratio(fp, fp + tn),
		recall: ratio(tp, tp + fn),
		precision: ratio(tp, tp + fp)
	};
}
