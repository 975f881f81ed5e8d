/**
 * The city drill (issue 18, docs/drills.md): each scenario is a function of the scale it runs at. It starts the
 * real servers it needs (on loopback, with their own temporary data directories), drives them with simulated
 * phones and scanners built on the PWAs' own client code, and returns what it measured. The runner
 * (scripts/drill/index.ts, `npm run drill`) prints the rows as a table and writes them to docs/drills.md; the CI
 * test runs the small scale and asserts that `failures` is empty.
 */

/** How big a run is: `small` runs in CI (the zero-loss properties), `full` only in `npm run drill`. */
export interface DrillScale {
	readonly name: 'small' | 'full';
	/** simulated residents' phones */
	readonly residents: number;
	/** simulated guards' scanners */
	readonly scanners: number;
	/** wall-clock budget of one scenario's traffic phase, in seconds */
	readonly seconds: number;
}

export const SMALL: DrillScale = { name: 'small', residents: 500, scanners: 50, seconds: 60 };
export const FULL: DrillScale = { name: 'full', residents: 10_000, scanners: 2_000, seconds: 300 };

/** One measured line of a scenario's table: what, the value as printed, the target it is held to, and whether it met it. */
export interface DrillRow {
	readonly metric: string;
	readonly value: string;
	readonly target?: string;
	readonly ok?: boolean;
}

export interface ScenarioResult {
	/** e.g. "1. Morning rush" */
	readonly scenario: string;
	readonly rows: readonly DrillRow[];
	/** one sentence per broken zero-loss property; empty when the scenario passed */
	readonly failures: readonly string[];
}

export type Scenario = (scale: DrillScale, log: (line: string) => void) => Promise<ScenarioResult>;
