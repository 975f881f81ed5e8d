/**
 * How old the scanner's lists are, for the status bar and the freshness panel: the trust list's and the status
 * list's age since they were signed, when this device last checked with the server, and whether a list is past
 * the maximum age after which verdicts turn unverifiable. Ages refresh every 10 s while the component lives.
 * Call during a component's initialisation (it owns an $effect).
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

export function listAges(): ListAges {
	let now = $state(Date.now());
	$effect(() => {
		const tick = setInterval(() => (now = Date.now()), AGE_TICK_MS);
		return () => clearInterval(tick);
	});
	const since = (sec: number | null) => (sec === null ? null : now - sec * 1000);
	const over = (age: number | null, maxSec: number) => age !== null && age > maxSec * 1000;
	return {
		get trust() {
			return since(scanner.trustIssuedAt);
		},
		get status() {
			return since(scanner.statusIssuedAt);
		},
		get checked() {
			return scanner.trustCheckedAt === null ? null : Math.max(0, now - scanner.trustCheckedAt);
		},
		get trustStale() {
			return over(since(scanner.trustIssuedAt), scanner.settings.trustListMaxAge);
		},
		get statusStale() {
			return over(since(scanner.statusIssuedAt), scanner.settings.statusListMaxAge);
		}
	};
}
