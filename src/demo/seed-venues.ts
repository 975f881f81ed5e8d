import type { Db } from '../lib/server/store/db.js';
import { insertVenueIfAbsent } from '../lib/server/store/venues.js';
import type { EntryPolicy } from '../lib/server/scans/guards.js';

/** Demo venues, one per entry policy, with fixed ids so `tongxing guard enrol demo-library` works at once. */
export const DEMO_VENUES: readonly { id: string; name: string; region: string; policy: EntryPolicy }[] = [
	{ id: 'demo-library', name: '南山图书馆 Nanshan Library', region: '440305', policy: 'green-only' },
	{ id: 'demo-hospital', name: '福田医院 Futian Hospital', region: '440304', policy: 'green-negative-48h' },
	{ id: 'demo-station', name: '深圳北站 Shenzhen North Station', region: '440309', policy: 'green-negative-72h' },
	{ id: 'demo-market', name: "宝安市场 Bao'an Market", region: '440306', policy: 'yellow-with-registration' }
];

/** Seeds the demo venues (idempotent). */
export async function seedDemoVenues(db: Db, nowMs: number): Promise<void> {
	for (const v of DEMO_VENUES) {
		await insertVenueIfAbsent(db, {
			id: v.id,
			name: v.name,
			region: v.region,
			policy_json: JSON.stringify({ policy: v.policy }),
			created_at: nowMs
		});
	}
}
