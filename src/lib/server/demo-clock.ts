/**
 * The server's clock. Production: the machine's. Demo only: TONGXING_DEMO_CLOCK_OFFSET_MS moves it by a fixed
 * amount (−30 to +30 days), so a tester can restart the demo server "three hours later" and watch time-driven
 * changes happen through the real paths — a quarantine order running out, the review job turning the code green —
 * without waiting (e2e/resident-way-back.spec.ts). Outside demo mode the variable stops the start: a server whose
 * clock is not the wall clock would sign codes with false times.
 */
import { StartupError } from './startup-error.js';

const MAX_OFFSET_MS = 30 * 86_400_000;

export function serverClock(env: NodeJS.ProcessEnv, demo: boolean): () => number {
	const raw = env.TONGXING_DEMO_CLOCK_OFFSET_MS;
	if (raw === undefined || raw === '') return () => Date.now();
	if (!demo) throw new StartupError('TONGXING_DEMO_CLOCK_OFFSET_MS is for the demo only (TONGXING_MODE=demo); unset it in production');
	const offset = /^-?\d{1,13}$/.test(raw) ? Number(raw) : NaN;
	if (!(Math.abs(offset) <= MAX_OFFSET_MS))
		throw new StartupError(`TONGXING_DEMO_CLOCK_OFFSET_MS must be whole milliseconds within ±30 days: ${raw}`);
	return () => Date.now() + offset;
}
