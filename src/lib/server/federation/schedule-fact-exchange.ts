/**
 * The region's fact exchange as a periodic job (jobs/schedule-job.ts; once per interval across instances):
 * register new residents' routing hashes, send the outbox's due facts, pull and apply this region's queue, and
 * exchange cross-region tracing requests and answers (tracing.ts).
 * Every FEDERATION_INTERVAL_MS (default 5 s, TONGXING_FEDERATION_INTERVAL_MS): with it, a fact recorded in A
 * reaches B within two intervals plus the gateway's time (bench/federation-facts.ts measures it). A gateway that
 * is down costs one failed call per interval; the outbox's own backoff spaces the retries of its facts.
 */
import { scheduleJob } from '../jobs/schedule-job.js';
import type { IssuerDeps } from '../deps.js';
import { pullAndApply } from './inbox.js';
import { deliverOutbox } from './outbox.js';
import { regionFedFor } from './fact-exchange-deps.js';
import type { RegionFed } from './region-fed.js';
import { registerResidents } from './registration.js';
import { pollTracing } from './tracing.js';

export const FEDERATION_INTERVAL_MS = 5_000;

/**
 * One round; a short message for the log when something happened or failed (counts only: no ids, no hashes).
 * `publishNow` (schedule-federation.ts): called when the facts applied recoloured someone, so the old codes'
 * revocations go to the gateway now rather than at the next publish tick.
 */
export async function exchangeFacts(fed: RegionFed, publishNow?: () => Promise<string | undefined>): Promise<string | undefined> {
	const parts: string[] = [];
	const step = async (name: string, fn: () => Promise<string | undefined>) => {
		try {
			const m = await fn();
			if (m) parts.push(m);
		} catch (e) {
			parts.push(`${name} failed: ${e instanceof Error ? e.message : 'error'}`);
		}
	};
	await step('registration', async () => {
		const r = await registerResidents(fed);
		return r.registered || r.conflicts.length ? `registered ${r.registered}, conflicts ${r.conflicts.length}` : undefined;
	});
	await step('outbox', async () => {
		const r = await deliverOutbox(fed);
		return r.batches ? `sent ${r.sent}, rejected ${r.rejected}, retrying ${r.retrying}${r.error ? ` (${r.error})` : ''}` : undefined;
	});
	let recoloured = 0;
	await step('inbox', async () => {
		const r = await pullAndApply(fed);
		recoloured = r.changed;
		const held = r.held ? ' (queue held: a batch from a region whose certificate has not arrived yet)' : '';
		return r.applied || r.rejected.length || r.batchesRefused || r.held
			? `applied ${r.applied}, rejected ${r.rejected.length}, refused batches ${r.batchesRefused}, recoloured ${r.changed}${held}`
			: undefined;
	});
	if (recoloured > 0 && publishNow) await step('publish', async () => ((await publishNow()) ? 'revocations published' : undefined));
	await step('tracing', async () => {
		const r = await pollTracing(fed);
		return r.received || r.answered ? `tracing requests received ${r.received}, answers ${r.answered}` : undefined;
	});
	return parts.length ? parts.join('; ') : undefined;
}

/** Started by hooks.server.ts; does nothing on a region without federation or on the gateway. */
export function scheduleFactExchange(
	deps: IssuerDeps,
	env: NodeJS.ProcessEnv = process.env,
	publishNow?: () => Promise<string | undefined>
): (() => void) | undefined {
	const fed = regionFedFor(deps);
	if (!fed) return undefined;
	const ms = Number(env.TONGXING_FEDERATION_INTERVAL_MS ?? FEDERATION_INTERVAL_MS);
	const intervalMs = Number.isFinite(ms) && ms >= 200 ? ms : FEDERATION_INTERVAL_MS;
	return scheduleJob(deps.db, deps.clock, {
		name: 'federation-facts',
		label: 'fact exchange',
		intervalMs,
		run: () => exchangeFacts(fed, publishNow)
	});
}
