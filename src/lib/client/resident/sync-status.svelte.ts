/**
 * The outcome of the last sync round, as reactive state the page reads whenever it renders: a round that ends
 * before the page subscribes still counts (the offline note does not depend on who listened first).
 */
import type { SyncOutcome } from './sync';

const state = $state<{ outcome: SyncOutcome | null; at: number | null }>({ outcome: null, at: null });

export const syncStatus = {
	/** null: no round finished yet on this page */
	get outcome(): SyncOutcome | null {
		return state.outcome;
	},
	/** Unix ms the last round finished */
	get at(): number | null {
		return state.at;
	}
};

export function recordSyncOutcome(outcome: SyncOutcome, at: number): void {
	state.outcome = outcome;
	state.at = at;
}
