/**
 * Keeps a service-worker update waiting while a form holds unsaved input (app-update.svelte.ts): call
 * `track(dirty)` from an $effect; the hold is released when the form is clean again or the page goes away.
 */
import { holdUpdates } from '$lib/client/app-update.svelte';

export function createFormHold(): { track(dirty: boolean): void; release(): void } {
	let release: (() => void) | undefined;
	return {
		track(dirty) {
			if (dirty && !release) release = holdUpdates();
			if (!dirty && release) {
				release();
				release = undefined;
			}
		},
		release() {
			release?.();
			release = undefined;
		}
	};
}
