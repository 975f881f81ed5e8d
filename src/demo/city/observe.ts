/**
 * What the data sources see of a person's true stays: the carrier's trajectory points and the guards' scans.
 *
 * Points: one when a stay begins, then every 60–90 min while away from home (periodic location updates; the
 * rules read point i as presence until the next point, capped by maxPointGapMinutes = 60 in DEFAULT_RULES, so
 * about 80 % of time away is covered), every 4–6 h at home (night-time phones are quiet), one per trip by
 * vehicle (at its midpoint). About 10 points a day. Each point is a GPS fix with the phone's GPS share
 * (accuracy 15–50 m indoors, 5–30 m outdoors; the reported position is off by a normal error of σ = r/2
 * per axis) or else the serving cell (its id, its tower's position and radius, 200–1500 m). People without a phone have
 * no trajectory. Scans: a stay at a guarded venue is scanned with its kind's coverage (types.ts SCAN_COVERAGE:
 * 0.3 in parks … 0.95 at metro gates), × 0.85 for people who show a printed code or are scanned through a family
 * member's phone. `places`: the kind of each point's true stay (GroundTruth.pointPlaces).
 */
import type { TrajectoryPoint, VenueVisit } from '../../lib/core/rules/facts.js';
import { clampX, clampY, type Projection, type Towers } from './layout.js';
import type { Member } from './household.js';
import { placeOfKind, SPACE, spaceKind, type Stay } from './life.js';
import { Rng } from './prng.js';
import { NO_PHONE_SCAN_FACTOR, PLACE_CODES, SCAN_COVERAGE, type VenueKind } from './types.js';

/** 65 536 standard normal deviates (Box–Muller from a fixed stream): per-point noise without log/sin/cos. */
const GAUSS = (() => {
	const r = new Rng(0x6a09e667, 0, 0);
	const t = new Float64Array(65_536);
	for (let i = 0; i < t.length; i += 2) {
		const rr = Math.sqrt(-2 * Math.log(1 - r.next()));
		const th = 2 * Math.PI * r.next();
		t[i] = rr * Math.cos(th);
		t[i + 1] = rr * Math.sin(th);
	}
	return t;
})();

export interface Observed {
	readonly trajectory: TrajectoryPoint[];
	readonly visits: VenueVisit[];
	readonly places: string;
}

export function observe(
	rng: Rng,
	scanRng: Rng,
	m: Member,
	stays: readonly Stay[],
	window: { from: number; until: number },
	proj: Projection,
	towers: Towers,
	venueIds: readonly string[],
	venueKinds: readonly VenueKind[],
	scanCoverage: Readonly<Record<VenueKind, number>> = SCAN_COVERAGE
): Observed {
	const trajectory: TrajectoryPoint[] = [];
	const visits: VenueVisit[] = [];
	let places = '';
	const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
	const key = m.key;
	const tPrefix = `${key}.t`;
	for (const s of stays) {
		if (s.until <= window.from || s.from >= window.until) continue;
		const venueKind = s.venue >= 0 ? venueKinds[s.venue]! : null;
		if (venueKind && s.from >= window.from) {
			// the draws the flat 0.9 / 0.75 scan share took from this stream, kept so that every carrier point is the one of
			// the cities measured before the shares per kind (docs/benchmarks.md); the scan itself draws from its own stream
			if (rng.chance(m.phone ? 0.9 : 0.75)) rng.next();
			if (scanRng.chance(scanCoverage[venueKind] * (m.phone ? 1 : NO_PHONE_SCAN_FACTOR)))
				visits.push({ id: `${key}.v${visits.length}`, venueId: venueIds[s.venue]!, at: Math.floor(s.from + scanRng.range(0, 120)) });
		}
		if (!m.phone) continue;
		const kind = spaceKind(s.space);
		const atHome = kind === SPACE.home || kind === SPACE.isolation;
		const indoor = atHome || kind === SPACE.work || kind === SPACE.school;
		const place = PLACE_CODES[venueKind ?? placeOfKind(kind)];
		// the serving cell depends only on the true position, constant during a stay
		let cell: { id: string; x: number; y: number; r: number } | null = null;
		let t = s.from + rng.range(0, 180);
		while (t < s.until) {
			if (t >= window.from && t < window.until) {
				let x: number, y: number, acc: number;
				let cellId: string | undefined;
				if (rng.next() < m.gpsShare) {
					acc = indoor ? 15 + 35 * rng.next() : 5 + 25 * rng.next();
					// normal error, σ = acc/2 per axis: two 16-bit halves of one draw index a table of normals
					const u = rng.u32();
					x = clampX(s.x + (acc / 2) * GAUSS[u & 0xffff]!);
					y = clampY(s.y + (acc / 2) * GAUSS[u >>> 16]!);
				} else {
					cell ??= towers.serving(s.x, s.y);
					x = cell.x;
					y = cell.y;
					acc = cell.r;
					cellId = cell.id;
				}
				const point = {
					id: tPrefix + trajectory.length,
					at: Math.floor(t),
					lat: round6(proj.toLat(y)),
					lon: round6(proj.toLon(x)),
					accuracyM: Math.round(acc)
				};
				trajectory.push(cellId === undefined ? point : { ...point, cell: cellId });
				places += place;
			}
			if (kind === SPACE.transit) break;
			t += atHome ? (4 + 2 * rng.next()) * 3600 : (60 + 30 * rng.next()) * 60;
		}
	}
	return { trajectory, visits, places };
}
