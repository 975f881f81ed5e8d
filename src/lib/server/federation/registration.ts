/**
 * Registration of this region's residents with the gateway (docs/federation.md §Facts): the routing hashes not yet
 * registered, in signed messages of at most MAX_REGISTRATIONS, marked once the gateway answered. A hash the
 * gateway already holds for another region comes back as a conflict: the gateway keeps the first claim and
 * reports both regions (their operators resolve it); nothing is overwritten.
 */
import { toBase64Url } from '../../core/bytes.js';
import { signRegionMessage } from '../../core/federation/region-message.js';
import { markRegistered, unregisteredRoutes } from '../store/federation-facts.js';
import { MAX_REGISTRATIONS } from './gateway-facts.js';
import type { RegionFed } from './region-fed.js';

export async function registerResidents(fed: RegionFed): Promise<{ registered: number; conflicts: { route: string; home: string }[] }> {
	let registered = 0;
	const conflicts: { route: string; home: string }[] = [];
	for (;;) {
		const routes = await unregisteredRoutes(fed.deps.db, MAX_REGISTRATIONS);
		if (!routes.length) break;
		const now = fed.deps.clock();
		const message = await signRegionMessage(fed.signer, 'registrations', Math.floor(now / 1000), { routes });
		const r = await fed.transport.register(toBase64Url(message));
		await markRegistered(fed.deps.db, routes, now);
		registered += r.registered;
		conflicts.push(...r.conflicts);
		if (routes.length < MAX_REGISTRATIONS) break;
	}
	return { registered, conflicts };
}
