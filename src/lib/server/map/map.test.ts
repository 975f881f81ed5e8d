/**
 * The console map's pure parts: an operator's district file is checked whole (a bad feature is named, nothing is
 * half-read), a risk area's place names the district holding its centre, and the demo city's outlines are exactly
 * the districts its generator assigns places to (every venue lies in the outline of its own district).
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import { generateCity } from '../../../demo/city/city.js';
import { cityDistricts } from '../../../demo/city/districts.js';
import { parseDistrictsGeoJson, type DistrictOutline } from './districts.js';
import { placeOf } from './area-place.js';
import { inPolygons, ringAreaM2 } from './geometry.js';
import { gridCellBox } from './map-layers.js';
import { gridOf } from '../geo/grid.js';

const square = (w: number, s: number, d: number) => [
	[w, s],
	[w + d, s],
	[w + d, s + d],
	[w, s + d],
	[w, s]
];
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const feature = (properties: unknown, geometry: unknown) => ({ type: 'Feature', properties, geometry });

function refusal(doc: unknown): string {
	try {
		parseDistrictsGeoJson(doc);
	} catch (e) {
		expect(e).toBeInstanceOf(DomainError);
		expect((e as DomainError).code).toBe('map/bad-districts');
		return String((e as DomainError).params?.detail);
	}
	throw new Error('accepted');
}

describe('district outlines from an operator file', () => {
	it('reads Polygon and MultiPolygon features with their codes and names', () => {
		const out = parseDistrictsGeoJson(
			fc(
				feature({ code: '440304', name: '福田' }, { type: 'Polygon', coordinates: [square(114, 22.5, 0.1)] }),
				feature({ code: 440305, nameZh: '南山', nameEn: 'Nanshan' }, { type: 'MultiPolygon', coordinates: [[square(113.9, 22.5, 0.1)]] })
			)
		);
		expect(out.map((d) => [d.code, d.nameZh, d.nameEn, d.polygons.length])).toEqual([
			['440304', '福田', '福田', 1],
			['440305', '南山', 'Nanshan', 1]
		]);
	});

	it('refuses the whole file on the first bad feature, naming it', () => {
		const ok = feature({ code: '440304' }, { type: 'Polygon', coordinates: [square(114, 22.5, 0.1)] });
		expect(refusal({ type: 'Feature' })).toMatch(/FeatureCollection/);
		expect(refusal(fc())).toMatch(/no features/);
		expect(refusal(fc(ok, feature({ code: '4403' }, ok.geometry)))).toMatch(/feature 1: properties.code/);
		expect(refusal(fc(ok, ok))).toMatch(/feature 1: code 440304 appears twice/);
		expect(refusal(fc(feature({ code: '440305' }, { type: 'Point', coordinates: [114, 22] })))).toMatch(/Polygon or MultiPolygon/);
		expect(
			refusal(
				fc(
					feature(
						{ code: '440305' },
						{
							type: 'Polygon',
							coordinates: [
								[
									[114, 22],
									[114.1, 22]
								]
							]
						}
					)
				)
			)
		).toMatch(/at least 4/);
		expect(refusal(fc(feature({ code: '440305' }, { type: 'Polygon', coordinates: [square(22.5, 114, 0.1)] })))).toMatch(
			/outside WGS-84 \[lon, lat\]/
		);
	});
});

describe('a risk area’s place', () => {
	const districts: DistrictOutline[] = [
		{ code: '440304', nameZh: '福田', nameEn: 'Futian', polygons: [[square(114, 22.5, 0.1) as [number, number][]]] }
	];
	it('names the district holding the centre, the centre and the area', () => {
		// 0.01° × 0.01° at 22.5°N: about 1 113 m × 1 028 m
		const p = placeOf({ type: 'polygon', ring: square(114.05, 22.55, 0.01).slice(0, 4) as [number, number][] }, districts);
		expect(p.district?.nameEn).toBe('Futian');
		expect(p.centre).toEqual([114.055, 22.555]);
		expect(p.areaM2).toBeGreaterThan(1.1e6);
		expect(p.areaM2).toBeLessThan(1.2e6);
		expect(placeOf({ type: 'polygon', ring: square(113, 22, 0.01) as [number, number][] }, districts).district).toBeNull();
	});
});

describe('the demo city’s outlines', () => {
	it('are the generator’s districts: every venue lies in its own district’s outline, and they tile the city', () => {
		const city = generateCity({ start: 1_796_000_000, residents: 2000 });
		const outlines = cityDistricts(city.options);
		expect(outlines.map((d) => d.code)).toEqual(city.options.regions);
		for (const v of city.venues) {
			const inside = outlines.filter((d) => inPolygons([v.lon, v.lat], [[d.ring]]));
			expect(
				inside.map((d) => d.code),
				v.id
			).toEqual([v.region]);
		}
		const total = outlines.reduce((s, d) => s + ringAreaM2(d.ring), 0);
		// 24 km × 16 km, within the two projections' difference (the generator's metres per degree vs the map's)
		expect(Math.abs(total / 1e6 / (24 * 16) - 1)).toBeLessThan(0.01);
	});

	it('odd counts: the last district takes the rest of its row', () => {
		const five = cityDistricts({ regions: ['440301', '440302', '440303', '440304', '440305'] });
		const areas = five.map((d) => ringAreaM2(d.ring) / 1e6);
		expect(Math.abs(areas.reduce((a, b) => a + b, 0) / (24 * 16) - 1)).toBeLessThan(0.01);
		expect(areas[4]! / areas[0]!).toBeCloseTo(2, 1);
	});
});

describe('grid cells', () => {
	it('a cell’s box holds the points numbered into it', () => {
		for (const [lat, lon] of [
			[22.5431, 114.0579],
			[-33.86, 151.21],
			[0.004, -0.004]
		] as const) {
			const b = gridCellBox(gridOf(lat, lon));
			expect(lon >= b.west && lon < b.east && lat >= b.south && lat < b.north, `${lat},${lon}`).toBe(true);
		}
	});
});
