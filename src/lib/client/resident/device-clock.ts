/**
 * The phone's own clock, read in one place so the resident app's time handling can be run with any clock: the
 * drill's simulated phones (scripts/drill/sim/) each have their own, some of them wrong (issue 18: ±10 min,
 * +2 days). In the browser it is `Date.now()`. What the app makes of this clock — corrected by the server's time,
 * never below the time floor — is current-code.ts residentNow.
 */
let source: () => number = () => Date.now();

/** This device's clock, Unix ms: what the phone's settings say, right or wrong. */
export const deviceNow = (): number => source();

/** Replaces the clock (the drill: one per simulated phone). */
export function useDeviceClock(clock: () => number): void {
	source = clock;
}
