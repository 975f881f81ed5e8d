/**
 * The PersonFacts of a freshly generated resident exactly as load-facts.ts `loadPersonFacts` would read them
 * back after the seed stored them — same ids (`point:<row id>`, `test:<id>` …), same unit conversions (ms in
 * the database, floored back to seconds), same look-back filter on trajectories and visits, same ordering — so
 * the seed can evaluate everyone while writing, without reading 100 M trajectory rows back. seed-city.test.ts
 * checks the equivalence (every audit entry equals a re-evaluation from the database).
 */
import type { PersonFacts, TrajectoryPoint, VenueVisit } from '../lib/core/rules/facts.js';
import { idHmac } from '../lib/server/issuer/people.js';
import { FACTS_LOOKBACK_MS } from '../lib/server/recolour/load-facts.js';
import type { CityPersonFacts } from './city/types.js';

const ms = (s: number) => s * 1000;
const sec = (m: number) => Math.floor(m / 1000);

/**
 * `firstPointId`: the row id the person's first trajectory point was stored with (the seed writes explicit,
 * consecutive ids in generator order); ignored when `hasPhone` is false (no phone, no stored points).
 */
export function storedPersonFacts(
	key: Uint8Array,
	ref: string,
	f: CityPersonFacts,
	hasPhone: boolean,
	firstPointId: number,
	nowMs: number
): PersonFacts {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const trajectory: TrajectoryPoint[] = [];
	if (hasPhone) {
		for (let i = 0; i < f.trajectory.length; i++) {
			const t = f.trajectory[i]!;
			const at = ms(t.at);
			if (at < since) continue;
			const p = { id: `point:${firstPointId + i}`, at: sec(at), lat: t.lat, lon: t.lon, accuracyM: t.accuracyM };
			trajectory.push(t.cell === undefined ? p : { ...p, cell: t.cell });
		}
	}
	const visits: VenueVisit[] = [];
	for (const v of f.visits) if (ms(v.at) >= since) visits.push({ id: `visit:${v.id}`, venueId: v.venueId, at: sec(ms(v.at)) });
	// Array.prototype.sort is stable: ties keep storage (= generator) order, like the database's (…, at, rowid) order
	trajectory.sort((a, b) => a.at - b.at);
	visits.sort((a, b) => a.at - b.at);
	return {
		ref,
		tests: f.tests.map((t) => ({ id: `test:${t.id}`, sampledAt: sec(ms(t.sampledAt)), result: t.result })),
		cases: f.cases.map((c) => ({
			id: `case:${c.id}`,
			confirmedAt: sec(ms(c.confirmedAt)),
			...(c.releasedAt === undefined ? {} : { releasedAt: sec(ms(c.releasedAt)) })
		})),
		quarantine: f.quarantine.map((q) => ({ id: `quarantine:${q.id}`, from: sec(ms(q.from)), until: sec(ms(q.until)) })),
		contacts: f.contacts.map((c) => ({
			id: `contact:${c.id}`,
			kind: c.kind,
			exposedAt: sec(ms(c.exposedAt)),
			to: idHmac(key, 'resident', c.to)
		})),
		trajectory,
		visits
	};
}
