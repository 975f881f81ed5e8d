/**
 * Draws GET /api/v1/console/map's GeoJSON with Leaflet (SVG, no tiles: the region's own geometry is the map). Leaflet
 * is passed in (the page imports it dynamically in onMount, so it never reaches the resident app or other console
 * pages). Every layer is marked `pmIgnore` so geoman only edits what the officer draws. Status is by text and shape,
 * not colour alone: high-risk areas have a thick solid border and an "H" label, medium ones a dashed border and "M";
 * venues are rings, cell sites dots, density cells squares with their counts in a tooltip.
 */
import type * as Leaflet from 'leaflet';
// types only (its augmentation of Leaflet's options: pmIgnore); the page loads geoman itself, in onMount
import type {} from '@geoman-io/leaflet-geoman-free';
import type { ColourCounts, MapResponse } from '$lib/core/contract/console-map';

export type DensityMode = 'all' | 'red' | 'yellow' | 'green';
export type LayerName = 'districts' | 'venues' | 'cells' | 'areas' | 'density';

export interface MapTexts {
	districtName(p: { nameZh: string; nameEn: string }): string;
	venue(name: string, scans: number): string;
	cellSite(id: string, radiusM: number): string;
	area(name: string, level: 'high' | 'medium'): string;
	levelMark(level: 'high' | 'medium'): string;
	density(c: ColourCounts): string;
}

const DENSITY_FILL: Record<DensityMode, string> = { all: '#3d3d3d', red: '#b3261e', yellow: '#8a6100', green: '#1b7f3b' };
const AREA_STROKE = { high: '#b3261e', medium: '#8a5a00' } as const;

const densityValue = (c: ColourCounts, mode: DensityMode) => (mode === 'all' ? c.green + c.yellow + c.red : c[mode]);

export interface DrawnLayers {
	groups: Record<LayerName, Leaflet.LayerGroup>;
	/** venue id → its marker (the list's "show on the map") */
	venues: Map<string, Leaflet.CircleMarker>;
	/** risk area id → its layer */
	areas: Map<string, Leaflet.GeoJSON>;
}

/** Builds the five overlay groups from the answer (not yet added to the map). */
export function drawLayers(L: typeof Leaflet, data: MapResponse, texts: MapTexts, mode: DensityMode): DrawnLayers {
	const ignore = { pmIgnore: true } as const;
	const groups = {
		districts: L.layerGroup([], ignore),
		venues: L.layerGroup([], ignore),
		cells: L.layerGroup([], ignore),
		areas: L.layerGroup([], ignore),
		density: L.layerGroup([], ignore)
	};

	const max = Math.max(1, ...data.density.cells.features.map((f) => densityValue(f.properties, mode)));
	for (const f of data.density.cells.features) {
		const v = densityValue(f.properties, mode);
		if (v === 0) continue;
		L.geoJSON(f, {
			...ignore,
			interactive: true,
			style: {
				stroke: true,
				color: '#ffffff',
				weight: 0.5,
				fillColor: DENSITY_FILL[mode],
				fillOpacity: 0.08 + 0.62 * Math.sqrt(v / max)
			}
		})
			.bindTooltip(texts.density(f.properties), { sticky: true })
			.addTo(groups.density);
	}

	for (const f of data.districts.features) {
		L.geoJSON(f, { ...ignore, interactive: false, style: { color: '#6b6b6b', weight: 1.5, fill: false } })
			.bindTooltip(texts.districtName(f.properties), { permanent: true, direction: 'center', className: 'tx-district-label' })
			.addTo(groups.districts);
	}

	const areas = new Map<string, Leaflet.GeoJSON>();
	for (const f of data.riskAreas.features) {
		const p = f.properties;
		const layer = L.geoJSON(f, {
			...ignore,
			style: {
				color: AREA_STROKE[p.level],
				weight: p.level === 'high' ? 4 : 2.5,
				dashArray: p.level === 'high' ? undefined : '8 6',
				fillColor: AREA_STROKE[p.level],
				fillOpacity: 0.12
			}
		})
			.bindTooltip(`${texts.levelMark(p.level)} · ${texts.area(p.name, p.level)}`, {
				permanent: true,
				direction: 'center',
				className: 'tx-area-label'
			})
			.addTo(groups.areas);
		areas.set(p.id, layer);
	}

	for (const f of data.cells.features) {
		if (f.geometry.type !== 'Point') continue;
		const [lon, lat] = f.geometry.coordinates;
		L.circleMarker([lat, lon], { ...ignore, radius: 2, stroke: false, fillColor: '#555555', fillOpacity: 0.8 })
			.bindTooltip(texts.cellSite(f.properties.id, f.properties.radiusM))
			.addTo(groups.cells);
	}

	const venues = new Map<string, Leaflet.CircleMarker>();
	for (const f of data.venues.features) {
		if (f.geometry.type !== 'Point') continue;
		const [lon, lat] = f.geometry.coordinates;
		const scans = f.properties.scansToday;
		const m = L.circleMarker([lat, lon], {
			...ignore,
			radius: 5 + Math.min(15, 2 * Math.sqrt(scans)),
			color: '#1f1f1f',
			weight: 2,
			fillColor: '#ffffff',
			fillOpacity: 0.9
		})
			.bindTooltip(texts.venue(f.properties.name, scans))
			.addTo(groups.venues);
		venues.set(f.properties.id, m);
	}
	return { groups, venues, areas };
}

/** The drawn polygon's outer ring as the API takes it: [lon, lat] pairs, 6 decimals, not repeated at the end. */
export function ringOfLayer(layer: Leaflet.Polygon): [number, number][] {
	const latlngs = layer.getLatLngs();
	const outer = (Array.isArray(latlngs[0]) ? latlngs[0] : latlngs) as Leaflet.LatLng[];
	const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
	return outer.map((p) => [r6(p.lng), r6(p.lat)]);
}
