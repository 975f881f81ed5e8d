/** What one import (a file or a push) adds to the console overview's counts: its records and one run, by kind. */
import { hourOf, type OverviewDelta } from '../store/overview.js';

export function importDeltas(kind: string, records: number, nowMs: number): OverviewDelta[] {
	const bucket = hourOf(nowMs);
	return [
		{ metric: 'import', bucket, key: kind, n: records },
		{ metric: 'import.runs', bucket, key: kind, n: 1 }
	];
}
