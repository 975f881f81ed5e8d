/**
 * The synthetic demo city (issue 4): `generateCity(options)` returns a handle whose households are generated
 * lazily, one at a time, from a seeded PRNG — same options, same city, byte for byte. Model: docs/demo-city.md
 * and the comment blocks of layout.ts (geography), household.ts (people), life.ts (true movements),
 * observe.ts (what carriers and guards see), outbreak.ts (cases, the site, the personas) and pipeline.ts
 * (one household start to finish: exposure ground truth in exposures.ts, investigation in close-contacts.ts).
 */
import { buildLayout, HALF_H, HALF_W, projection, Towers } from './layout.js';
import { householdSizes } from './household.js';
import { buildPlan, siteTimes } from './outbreak.js';
import type { Ctx } from './ctx.js';
import { homeOf } from './home-of.js';
import { generateHousehold } from './pipeline.js';
import { ID_CAPACITY, personaVariant } from './people.js';
import { hash32 } from './prng.js';
import type { City, CityOptions, CityPerson, ResolvedCityOptions } from './types.js';
import { resolveStructure } from './structure.js';

export const DEFAULT_RESIDENTS = 10_000;
export const DEFAULT_SEED = 'tongxing';
/** 深圳 福田 (市民中心), the default demo region 440300's centre. */
export const DEFAULT_CENTRE = { lat: 22.5431, lon: 114.0579 } as const;
export const DEFAULT_REGIONS = ['440305', '440304', '440303', '440306', '440309', '440307'] as const;
/** Window length: 14 days, the longest look-back of the rules. */
export const WINDOW_DAYS = 14;
/** Upper bound on residents: the ID-number scheme's capacity (people.ts). */
export const MAX_RESIDENTS = ID_CAPACITY;

const REGION_RE = /^\d{6}$/;

export function resolveCityOptions(o: CityOptions): ResolvedCityOptions {
	const residents = o.residents ?? DEFAULT_RESIDENTS;
	if (!Number.isInteger(residents) || residents < 10 || residents > MAX_RESIDENTS) {
		throw new RangeError(`residents must be an integer from 10 to ${MAX_RESIDENTS}`);
	}
	if (!Number.isSafeInteger(o.start) || o.start < 86400 * 365 * 10) throw new RangeError('start must be Unix seconds (an integer)');
	const centre = o.centre ?? DEFAULT_CENTRE;
	if (!(Math.abs(centre.lat) < 80) || !(Math.abs(centre.lon) <= 180)) throw new RangeError('centre must be WGS-84 degrees (|lat| < 80)');
	const regions = o.regions ?? DEFAULT_REGIONS;
	if (regions.length === 0 || regions.some((r) => !REGION_RE.test(r))) throw new RangeError('regions must be six-digit GB/T 2260 codes');
	const idBase = o.idBase ?? 0;
	if (!Number.isSafeInteger(idBase) || idBase < 0 || idBase + residents > MAX_RESIDENTS)
		throw new RangeError(`idBase + residents must be at most ${MAX_RESIDENTS}`);
	if (o.personaArea !== undefined && !/^\d{4}$/.test(o.personaArea)) throw new RangeError('personaArea must be four digits');
	return {
		residents,
		seed: String(o.seed ?? DEFAULT_SEED),
		start: o.start,
		centre: { lat: centre.lat, lon: centre.lon },
		regions: [...regions],
		structure: resolveStructure(o.structure),
		idBase,
		personaArea: o.personaArea ?? null
	};
}

export function generateCity(options: CityOptions): City {
	const opts = resolveCityOptions(options);
	const seed = hash32(opts.seed);
	const sizes = householdSizes(seed, opts.residents);
	const offsets = new Float64Array(sizes.length);
	for (let i = 1; i < sizes.length; i++) offsets[i] = offsets[i - 1]! + sizes[i - 1]!;
	const until = opts.start;
	const from = until - WINDOW_DAYS * 86400;
	const LOCAL = 8 * 3600;
	const m0 = Math.floor((from + LOCAL) / 86400) * 86400 - LOCAL;
	const days = Math.ceil((until - m0) / 86400);
	const layout = buildLayout(seed, opts.residents, sizes.length, opts.regions, opts.structure);
	const proj = projection(opts.centre.lat, opts.centre.lon);
	for (const v of layout.venues) {
		(v as { lat: number }).lat = Math.round(proj.toLat(v.y) * 1e6) / 1e6;
		(v as { lon: number }).lon = Math.round(proj.toLon(v.x) * 1e6) / 1e6;
	}
	const startYear = new Date((until + LOCAL) * 1000).getUTCFullYear();
	const base = {
		seed,
		sizes,
		offsets,
		startYear,
		window: { from, until },
		proj,
		towers: new Towers(seed, opts.structure.towerSpacingM),
		structure: opts.structure,
		venueIds: layout.venues.map((v) => v.id),
		venueKinds: layout.venues.map((v) => v.kind),
		layout,
		m0,
		days,
		siteClosedAt: siteTimes(m0).until,
		idBase: opts.idBase,
		personaArea: opts.personaArea
	};
	const ctx: Ctx = base;
	const built = buildPlan(ctx, sizes.length, opts.residents);
	const { plan, riskAreas } = built;
	const area = opts.personaArea;
	const personas = area ? built.personas.map((p) => ({ ...p, ...personaVariant(area, p.idNumber, p.phone) })) : built.personas;
	const venues = layout.venues.map(({ x: _x, y: _y, ...v }) => v);
	const household = (h: number) => {
		if (!Number.isInteger(h) || h < 0 || h >= sizes.length) throw new RangeError(`household index must be 0 … ${sizes.length - 1}`);
		return generateHousehold(ctx, plan, h);
	};
	return {
		options: opts,
		window: { from, until },
		// rounded outwards to the 6 decimals of the reported points
		bbox: {
			south: Math.floor(proj.toLat(-HALF_H) * 1e6) / 1e6,
			west: Math.floor(proj.toLon(-HALF_W) * 1e6) / 1e6,
			north: Math.ceil(proj.toLat(HALF_H) * 1e6) / 1e6,
			east: Math.ceil(proj.toLon(HALF_W) * 1e6) / 1e6
		},
		householdCount: sizes.length,
		venues,
		cells: base.towers.table(proj),
		outbreak: {
			siteVenueId: layout.venues[layout.siteVenue]!.id,
			siteFrom: plan.siteFrom,
			siteUntil: plan.siteUntil,
			riskAreas,
			caseKeys: plan.cases.map((c) => c.key)
		},
		personas,
		*households() {
			for (let h = 0; h < sizes.length; h++) yield generateHousehold(ctx, plan, h);
		},
		household,
		home(h: number) {
			if (!Number.isInteger(h) || h < 0 || h >= sizes.length) throw new RangeError(`household index must be 0 … ${sizes.length - 1}`);
			const { x, y } = homeOf(ctx, plan, h);
			return { lat: proj.toLat(y), lon: proj.toLon(x), members: sizes[h]! };
		},
		caseHouseholds(): number[] {
			return [...new Set(plan.cases.map((c) => c.h))].sort((a, b) => a - b);
		},
		cases(): CityPerson[] {
			return plan.cases.map((c) => {
				const hh = household(c.h);
				return hh.members.find((m) => m.key === c.key)!;
			});
		}
	};
}
