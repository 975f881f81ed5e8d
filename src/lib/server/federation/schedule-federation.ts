/**
 * A federated region's jobs (region-publish.ts), started by the server (hooks.server.ts), never by the CLI:
 * publish its key list and status lists to its own copy and to the gateway, and mirror the national bundle.
 * A region without an authority key (not onboarded) or without TONGXING_GATEWAY_URL runs neither against a
 * gateway: `npm start` alone stays a single region.
 */
import type { IssuerDeps } from '../deps.js';
import { scheduleJob } from '../jobs/schedule-job.js';
import { httpGatewayClient, mirrorNational, publishRegion } from './region-publish.js';
import { isFederatedRegion } from '../keys/region-certificate-files.js';

export const FEDERATION_INTERVAL_MS = Number(process.env.TONGXING_FEDERATION_INTERVAL_MS ?? 60_000);

/**
 * Starts the jobs; returns "publish now" (single-flight: a call while a run is going joins it) for the fact exchange
 * to call when facts from another region recoloured people here — their old codes' revocations then reach the
 * gateway within seconds instead of up to one interval later (docs/federation.md §Facts). Undefined when the
 * region is not federated.
 */
export function scheduleFederation(deps: IssuerDeps): (() => Promise<string | undefined>) | undefined {
	if (deps.config.role === 'gateway' || !isFederatedRegion(deps.dataDir)) return undefined;
	const gateway = deps.config.gatewayUrl ? httpGatewayClient(deps.config.gatewayUrl) : null;
	let running: Promise<string | undefined> | null = null;
	const publishNow = () =>
		(running ??= publishRegion(deps, gateway).finally(() => {
			running = null;
		}));
	scheduleJob(deps.db, deps.clock, {
		name: 'federation-publish',
		label: 'federation publish',
		intervalMs: FEDERATION_INTERVAL_MS,
		run: publishNow
	});
	if (gateway)
		scheduleJob(deps.db, deps.clock, {
			name: 'federation-mirror',
			label: 'federation mirror',
			intervalMs: FEDERATION_INTERVAL_MS,
			run: () => mirrorNational(deps, gateway)
		});
	return publishNow;
}
