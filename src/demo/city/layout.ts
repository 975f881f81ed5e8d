/**
 * The city's fixed geography (one per seed and size): districts, residential compounds (小区), workplaces,
 * schools, guarded venues and the carriers' cell towers, in local metres around the centre (x east, y north).
 * Sizes scale with the population but the area does not: the city is a sample of a real one, so density (and
 * with it how many strangers share an 800 m cell with a case) grows with --residents, as it would in reality.
 */
import type { CellSite } from '../../lib/core/rules/facts.js';
import { dist } from './prng.js';
import type { EntryPolicy } from '../../lib/server/scans/guards.js';
import { Rng, STREAM } from './prng.js';
import type { CityVenue, VenueKind } from './types.js';
import { DEFAULT_STRUCTURE, type CityStructure } from './structure.js';

/** Half extents of the city (m): 24 km × 16 km, about 深圳's six central districts. */
export const HALF_W = 12_000;
export const HALF_H = 8_000;
/** Outbreak site (a 农贸市场, wet market) offset from the centre. */
export const SITE_X = 800;
export const SITE_Y = -600;

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQ = 111_320;

export interface Projection {
	toLat(y: number): number;
	toLon(x: number): number;
}

export function projection(lat0: number, lon0: number): Projection {
	const mLon = M_PER_DEG_LON_EQ * Math.cos((lat0 * Math.PI) / 180);
	return { toLat: (y) => lat0 + y / M_PER_DEG_LAT, toLon: (x) => lon0 + x / mLon };
}

export const clampX = (x: number) => Math.max(-HALF_W, Math.min(HALF_W, x));
export const clampY = (y: number) => Math.max(-HALF_H, Math.min(HALF_H, y));

/** Sub-centres (residential density) and business districts (workplaces), in local metres. */
const SUBCENTRES: readonly (readonly [number, number])[] = [
	[0, -1500],
	[-7000, -2500],
	[6000, -1500],
	[-6500, 4500],
	[1000, 4500],
	[7500, 4000]
];
const CBDS: readonly (readonly [number, number])[] = [
	[0, -1200],
	[-7500, -2500],
	[5500, -1800]
];

export interface Place {
	readonly x: number;
	readonly y: number;
	readonly r: number;
}

export interface Layout {
	readonly regions: readonly string[];
	readonly compounds: Place[];
	/** per compound: nearby venue indices (nearest first) */
	readonly nearVenues: number[][];
	readonly workplaces: Place[];
	/** per workplace: nearby restaurant/supermarket/mall venue indices */
	readonly workVenues: number[][];
	readonly schools: Place[];
	readonly venues: (CityVenue & { x: number; y: number })[];
	/** market venues (for the elderly's morning shopping), nearest-first lists are built from nearVenues */
	readonly siteVenue: number;
	/** the designated hospital (cases) and the quarantine hotel (close contacts): not venues, no scans */
	readonly hospital: Place;
	readonly hotel: Place;
	districtOf(x: number, y: number): number;
}

/** Footprint radius (m) of each venue kind; their weights are the city's structure's venueMix (structure.ts). */
const KIND_RADII: readonly [VenueKind, number][] = [
	['market', 60],
	['supermarket', 40],
	['mall', 120],
	['restaurant', 20],
	['hospital', 100],
	['station', 80],
	['park', 200],
	['gym', 30],
	['office', 50],
	['school', 80]
];

const KIND_NAMES: Record<VenueKind, readonly [string, string]> = {
	market: ['农贸市场', 'Wet Market'],
	supermarket: ['超市', 'Supermarket'],
	mall: ['购物中心', 'Shopping Mall'],
	restaurant: ['餐厅', 'Restaurant'],
	hospital: ['医院', 'Hospital'],
	station: ['地铁站', 'Metro Station'],
	park: ['公园', 'Park'],
	gym: ['健身房', 'Gym'],
	office: ['写字楼', 'Office Tower'],
	school: ['学校', 'School']
};

/** District names for the default codes (others get the code itself). */
export const DISTRICT_NAMES: Record<string, readonly [string, string]> = {
	'440303': ['罗湖', 'Luohu'],
	'440304': ['福田', 'Futian'],
	'440305': ['南山', 'Nanshan'],
	'440306': ['宝安', "Bao'an"],
	'440307': ['龙岗', 'Longgang'],
	'440309': ['龙华', 'Longhua'],
	// the federation demo's second city (presets.ts)
	'110101': ['东城', 'Dongcheng'],
	'110102': ['西城', 'Xicheng'],
	'110105': ['朝阳', 'Chaoyang'],
	'110106': ['丰台', 'Fengtai'],
	'110108': ['海淀', 'Haidian'],
	'110114': ['昌平', 'Changping']
};

const POLICY_BY_KIND: Record<VenueKind, EntryPolicy> = {
	market: 'green-negative-72h',
	supermarket: 'green-only',
	mall: 'green-negative-72h',
	restaurant: 'green-only',
	hospital: 'yellow-with-registration',
	station: 'green-negative-48h',
	park: 'green-only',
	gym: 'green-negative-48h',
	office: 'green-only',
	school: 'green-negative-48h'
};

function around(rng: Rng, cx: number, cy: number, sigma: number): [number, number] {
	return [clampX(cx + rng.normal() * sigma), clampY(cy + rng.normal() * sigma)];
}

function nearest(
	from: Place,
	venues: readonly { x: number; y: number; kind: VenueKind }[],
	n: number,
	kinds: ReadonlySet<VenueKind>
): number[] {
	const best: [number, number][] = [];
	for (let i = 0; i < venues.length; i++) {
		const v = venues[i]!;
		if (!kinds.has(v.kind)) continue;
		const d = (v.x - from.x) ** 2 + (v.y - from.y) ** 2;
		if (best.length < n || d < best[best.length - 1]![0]) {
			best.push([d, i]);
			best.sort((a, b) => a[0] - b[0]);
			if (best.length > n) best.pop();
		}
	}
	return best.map((b) => b[1]);
}

const HOME_KINDS: ReadonlySet<VenueKind> = new Set(['market', 'supermarket', 'restaurant', 'park', 'mall', 'gym', 'hospital']);
const WORK_KINDS: ReadonlySet<VenueKind> = new Set(['restaurant', 'supermarket', 'mall', 'gym']);

export function buildLayout(
	seed: number,
	residents: number,
	households: number,
	regions: readonly string[],
	structure: CityStructure = DEFAULT_STRUCTURE
): Layout {
	const rng = new Rng(seed, STREAM.layout, 0);
	const rows = regions.length >= 2 ? 2 : 1;
	const cols = Math.ceil(regions.length / rows);
	const districtOf = (x: number, y: number): number => {
		const c = Math.min(cols - 1, Math.max(0, Math.floor(((x + HALF_W) / (2 * HALF_W)) * cols)));
		const r = Math.min(rows - 1, Math.max(0, Math.floor(((y + HALF_H) / (2 * HALF_H)) * rows)));
		return Math.min(regions.length - 1, r * cols + c);
	};

	const compounds: Place[] = [];
	const nCompounds = Math.max(24, Math.ceil(households / structure.householdsPerCompound));
	for (let i = 0; i < nCompounds; i++) {
		const [x, y] = rng.chance(0.75) ? around(rng, ...rng.pick(SUBCENTRES), 1800) : [rng.range(-HALF_W, HALF_W), rng.range(-HALF_H, HALF_H)];
		compounds.push({ x, y, r: 150 });
	}
	const workplaces: Place[] = [];
	const nWork = Math.max(40, Math.ceil((residents * 0.5) / 60));
	for (let i = 0; i < nWork; i++) {
		const [x, y] = rng.chance(0.65) ? around(rng, ...rng.pick(CBDS), 1200) : [rng.range(-HALF_W, HALF_W), rng.range(-HALF_H, HALF_H)];
		workplaces.push({ x, y, r: 40 });
	}
	const schools: Place[] = [];
	const nSchools = Math.max(6, Math.ceil((residents * 0.15) / 800));
	for (let i = 0; i < nSchools; i++) {
		const c = rng.pick(compounds);
		schools.push({ x: clampX(c.x + rng.range(-600, 600)), y: clampY(c.y + rng.range(-600, 600)), r: 80 });
	}

	const venues: (CityVenue & { x: number; y: number })[] = [];
	const counters = new Map<string, number>();
	const addVenue = (kind: VenueKind, x: number, y: number, radiusM: number) => {
		const d = districtOf(x, y);
		const region = regions[d]!;
		const [dz, de] = DISTRICT_NAMES[region] ?? [region, region];
		const n = (counters.get(region + kind) ?? 0) + 1;
		counters.set(region + kind, n);
		const [kz, ke] = KIND_NAMES[kind];
		const id = `V${String(venues.length).padStart(4, '0')}`;
		venues.push({
			id,
			nameZh: `${dz}第${n}${kz}`,
			nameEn: `${de} ${ke} No. ${n}`,
			kind,
			region,
			lat: 0,
			lon: 0,
			radiusM,
			policy: POLICY_BY_KIND[kind],
			x,
			y
		});
	};
	// The outbreak site and two busy neighbours that make "passing near" common: a mall 350 m away (same
	// 800 m cell, usually) and a metro station 250 m away.
	addVenue('market', SITE_X, SITE_Y, 60);
	addVenue('mall', SITE_X - 330, SITE_Y + 120, 120);
	addVenue('station', SITE_X + 180, SITE_Y + 170, 80);
	const nVenues = Math.min(400, 40 + Math.ceil(residents / structure.residentsPerVenue));
	const weights = KIND_RADII.map(([k]) => structure.venueMix[k]);
	while (venues.length < nVenues) {
		const [kind, radius] = KIND_RADII[rng.weighted(weights)]!;
		const c = rng.pick(compounds);
		addVenue(kind, clampX(c.x + rng.range(-800, 800)), clampY(c.y + rng.range(-800, 800)), radius);
	}
	// errands stay local: the 8 nearest venues, but none farther than 2.5 km unless fewer than 2 are that close
	const nearVenues = compounds.map((c) =>
		nearest(c, venues, 8, HOME_KINDS).filter((v, i) => i < 2 || dist(venues[v]!.x - c.x, venues[v]!.y - c.y) <= 2500)
	);
	const workVenues = workplaces.map((w) => nearest(w, venues, 3, WORK_KINDS));
	return {
		regions,
		compounds,
		nearVenues,
		workplaces,
		workVenues,
		schools,
		venues,
		siteVenue: 0,
		hospital: { x: -3000, y: 6500, r: 100 },
		hotel: { x: 9500, y: 6500, r: 100 },
		districtOf
	};
}

/**
 * Cell towers on a 600 m grid with per-tower jitter; a cell-based point is its serving (nearest) tower with the
 * tower's nominal radius: 200–700 m in the dense centre, up to 1500 m in the outskirts, never less than the
 * true distance (the true position is inside the reported circle, as the carriers' data is meant to be).
 */
export class Towers {
	private readonly ni: number;
	private readonly nj: number;
	private readonly xs: Float64Array;
	private readonly ys: Float64Array;
	private readonly rs: Float64Array;

	/** `spacing`: the grid's step (m; structure.ts towerSpacingM); jitter ± 30 % of it, radii scale with it */
	constructor(
		seed: number,
		private readonly spacing = 600
	) {
		this.ni = Math.ceil(HALF_W / spacing) + 2;
		this.nj = Math.ceil(HALF_H / spacing) + 2;
		const S = spacing;
		const jitter = (S * 3) / 10;
		const scale = S / 600;
		const n = (2 * this.ni + 1) * (2 * this.nj + 1);
		this.xs = new Float64Array(n);
		this.ys = new Float64Array(n);
		this.rs = new Float64Array(n);
		const t = new Rng(seed, STREAM.towers, 0);
		for (let i = -this.ni; i <= this.ni; i++) {
			for (let j = -this.nj; j <= this.nj; j++) {
				const k = this.index(i, j);
				const x = i * S + t.range(-jitter, jitter);
				const y = j * S + t.range(-jitter, jitter);
				this.xs[k] = clampX(x);
				this.ys[k] = clampY(y);
				const outskirts = Math.min(1, dist(x, y) / 10_000);
				this.rs[k] = (200 + outskirts * 800 + t.range(0, 500)) * scale;
			}
		}
	}

	private index(i: number, j: number): number {
		return (i + this.ni) * (2 * this.nj + 1) + (j + this.nj);
	}

	/** The carrier's cell table: one cell per tower, id `C<k>`, with its nominal radius. */
	table(proj: Projection): CellSite[] {
		const out: CellSite[] = [];
		for (let k = 0; k < this.xs.length; k++) {
			out.push({
				id: `C${k}`,
				lat: Math.round(proj.toLat(this.ys[k]!) * 1e6) / 1e6,
				lon: Math.round(proj.toLon(this.xs[k]!) * 1e6) / 1e6,
				radiusM: Math.round(this.rs[k]!)
			});
		}
		return out;
	}

	serving(x: number, y: number): { id: string; x: number; y: number; r: number } {
		const gi = Math.round(x / this.spacing);
		const gj = Math.round(y / this.spacing);
		let bestK = 0;
		let bestD = Infinity;
		for (let i = gi - 1; i <= gi + 1; i++) {
			for (let j = gj - 1; j <= gj + 1; j++) {
				if (i < -this.ni || i > this.ni || j < -this.nj || j > this.nj) continue;
				const k = this.index(i, j);
				const d = dist(this.xs[k]! - x, this.ys[k]! - y);
				if (d < bestD) {
					bestD = d;
					bestK = k;
				}
			}
		}
		return { id: `C${bestK}`, x: this.xs[bestK]!, y: this.ys[bestK]!, r: Math.round(Math.max(this.rs[bestK]!, bestD * 1.1)) };
	}
}
