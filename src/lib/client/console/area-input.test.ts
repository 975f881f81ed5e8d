import { describe, expect, it } from 'vitest';
import { parseCells, parsePolygon, withOffset } from './area-input';

describe('risk-area form input', () => {
	it('reads "lon,lat" lines, skipping blanks, naming the first bad line', () => {
		expect(parsePolygon('114.05,22.54\n\n114.06, 22.54\n114.06 22.55\n')).toEqual({
			ok: true,
			ring: [
				[114.05, 22.54],
				[114.06, 22.54],
				[114.06, 22.55]
			]
		});
		expect(parsePolygon('114.05,22.54\n114.06;22.54')).toEqual({ ok: false, error: 'bad-line', line: 2 });
	});

	it('reads a GeoJSON Polygon, Feature or one-feature collection', () => {
		const polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[114, 22],
					[114.1, 22],
					[114.1, 22.1],
					[114, 22]
				]
			]
		};
		const ring = [
			[114, 22],
			[114.1, 22],
			[114.1, 22.1],
			[114, 22]
		];
		expect(parsePolygon(JSON.stringify(polygon))).toEqual({ ok: true, ring });
		expect(parsePolygon(JSON.stringify({ type: 'Feature', geometry: polygon, properties: {} }))).toEqual({ ok: true, ring });
		expect(parsePolygon(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon }] }))).toEqual({
			ok: true,
			ring
		});
		expect(parsePolygon('{"type":"Point","coordinates":[114,22]}')).toEqual({ ok: false, error: 'bad-geojson' });
		expect(parsePolygon('{not json')).toEqual({ ok: false, error: 'bad-geojson' });
	});

	it('splits grid cell ids', () => {
		expect(parseCells(' g800:1:2\ng800:1:3, g800:1:4 ')).toEqual(['g800:1:2', 'g800:1:3', 'g800:1:4']);
	});

	it('gives datetime-local values their zone offset', () => {
		expect(withOffset('2026-11-29T08:00', 480)).toBe('2026-11-29T08:00:00+08:00');
		expect(withOffset('2026-11-29T08:00:30', -330)).toBe('2026-11-29T08:00:30-05:30');
		expect(withOffset('2026-11-29T08:00', 0)).toBe('2026-11-29T08:00:00+00:00');
	});
});
