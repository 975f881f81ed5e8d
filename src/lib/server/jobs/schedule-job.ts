/**
 * The server's periodic jobs (the colour review, urgent proposals' lapse): started by hooks.server.ts, never by
 * CLI commands. One runner, three promises:
 * - never overlaps itself in a process (a tick while a run is going is skipped);
 * - across app instances on one database only the first to claim the interval's window in rate_limits runs it
 *   (`job:NAME`), so N instances do the work once per interval, not N times;
 * - never keeps the process alive (the timer is unref'd), and a failure is logged as a message only (no refs, no
 *   facts: health data stays out of logs).
 */
import type { Store } from '../store/db.js';
import { hit } from '../store/rate-limit.js';

export interface Job {
	/** the claim's key in rate_limits (`job:${name}`) */
	readonly name: string;
	/** the log lines' prefix */
	readonly label: string;
	readonly intervalMs: number;
	/** one run; a message to log, or nothing */
	run(): Promise<string | undefined>;
}

/** Runs the job now and every interval; returns a stop function (tests). */
export function scheduleJob(db: Store, clock: () => number, job: Job, log: (msg: string) => void = (m) => console.error(m)): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			if (!(await hit(db, `job:${job.name}`, job.intervalMs, 1, Math.floor(clock()))).allowed) return;
			const message = await job.run();
			if (message) log(`${job.label}: ${message}`);
		} catch (e) {
			log(`${job.label} failed: ${e instanceof Error ? e.message : 'unknown error'}`);
		} finally {
			running = false;
		}
	};
	void tick();
	const timer = setInterval(() => void tick(), job.intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}
