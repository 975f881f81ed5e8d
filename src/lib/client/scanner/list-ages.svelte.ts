/**
 * How old the scanner's lists are, for the status bar and the freshness panel: the trust list's and the status
 * list's age since they were signed, when this device last checked with the server, and whether a list is past
 * the maximum age after which verdicts turn unverifiable. Ages refresh every 10 s while the component lives, and
 * at once whenever a verdict is shown (ageClock). Call during a component's initialisation (it owns $effects).
 */
import { scanner } from './scanner.svelte';

export interface ListAges {
	/** ms since the trust list was signed; null: none yet */
	readonly trust: number | null;
	/** ms since the status list was signed; null: none yet */
	readonly status: number | null;
	/** ms since this device last checked the trust list with the server; null: never */
	readonly checked: number | null;
	/** a list is held and past its maximum age */
	readonly trustStale: boolean;
	readonly statusStale: boolean;
}

export const AGE_TICK_MS = 10_000;

/**
 * "Now" for the ages on screen: re-read every AGE_TICK_MS, whenever the scanner shows (or clears) a verdict, and
 * whenever the lists change. A verdict was judged against the lists' ages at that moment (e.g. "keys expired, go
 * online"), and the panel beside it must not still call them current for up to 10 s; after a refresh the panel
 * must not still call them expired. Call during a component's initialisation.
 */
export function ageClock(): { readonly now: number } {
	let now = $state(Date.now());
	$effect(() => {
		const tick = setInterval(() => (now = Date.now()), AGE_TICK_MS);
		return () => clearInterval(tick);
	});
	$effect(() => {
		void [scanner.current, scanner.trustIssuedAt, scanner.statusIssuedAt, scanner.trustCheckedAt, scanner.regions];
		now = Date.now();
	});
	return {
		get now() {
			return now;
		}
	};
}

export function listAges(): ListAges {
	const clock = ageClock();
	const since = (sec: number | null) => (sec === null ? null : clock.now - sec * 1000);
	const over = (age: number | null, maxSec: number) => age !== null && age > maxSec * 1000;
	return {
		get trust() {
			return since(scanner.trustIssuedAt);
		},
		get status() {
			return since(scanner.statusIssuedAt);
		},
		get checked() {
			return scanner.trustCheckedAt === null ? null : Math.max(0, clock.now - scanner.trustCheckedAt);
		},
		get trustStale() {
			return over(since(scanner.trustIssuedAt), scanner.settings.trustListMaxAge);
		},
		get statusStale() {
			return over(since(scanner.statusIssuedAt), scanner.settings.statusListMaxAge);
		}
	};
}
