/**
 * Service-worker updates (workbox-window), shared by every app: a new version installs in the background and
 * waits; the page offers to apply it. Never in the middle of a form: a form that holds unsaved input calls
 * `holdUpdates()` and releases the hold when it is submitted or abandoned; while any hold is active the banner
 * says an update is ready but only offers to apply it afterwards (the apply reloads the page).
 */
import type { Workbox } from 'workbox-window';

const state = $state({ ready: false, applying: false, holds: 0 });
let wb: Workbox | undefined;

export const appUpdate = {
	get ready() {
		return state.ready;
	},
	get applying() {
		return state.applying;
	},
	/** true while a form with unsaved input is open */
	get held() {
		return state.holds > 0;
	}
};

/** Register /service-worker.js (kit emits it; `vite dev` serves it as an ES module). */
export async function registerServiceWorker(dev: boolean): Promise<void> {
	if (!('serviceWorker' in navigator)) return;
	const { Workbox } = await import('workbox-window');
	wb = new Workbox('/service-worker.js', { type: dev ? 'module' : 'classic' });
	// A new version has installed and waits for consent (also fired on load if one was already waiting).
	// The first install takes control by itself (clientsClaim in the worker).
	wb.addEventListener('waiting', () => (state.ready = true));
	try {
		await wb.register();
	} catch (error) {
		// The app still works online; it just won't open offline.
		console.error('Service worker registration failed', error);
	}
}

/** Ask the waiting worker to take over; once it controls this page, reload so page and worker match. */
export function applyUpdate(): void {
	if (!wb || state.holds > 0) return;
	state.applying = true;
	wb.addEventListener('controlling', () => window.location.reload());
	wb.messageSkipWaiting();
}

/** A form with unsaved input: keep the update waiting. Returns the release function (idempotent). */
export function holdUpdates(): () => void {
	state.holds += 1;
	let released = false;
	return () => {
		if (released) return;
		released = true;
		state.holds -= 1;
	};
}
