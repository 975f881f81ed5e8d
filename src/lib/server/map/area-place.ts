/**
 * Where a risk area is, in words an officer reads: the district holding its centre, the centre itself and the
 * area's size — instead of "polygon, 5 vertices" (issue 15).
 */
import { cellBounds } from '../../core/rules/grid.js';
import type { RiskShape } from '../store/risk-areas.js';
import { boxRing, inPolygons, ringAreaM2, ringCentre } from './geometry.js';
import { storedDistricts, type DistrictOutline } from './districts.js';
import type { IssuerDeps } from '../deps.js';

export interface AreaPlace {
	district: { code: string; nameZh: string; nameEn: string } | null;
	centre: [number, number];
	areaM2: number;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function placeOf(shape: RiskShape, districts: readonly DistrictOutline[]): AreaPlace {
	let centre: [number, number];
	let areaM2: number;
	if (shape.type === 'polygon') {
		centre = ringCentre(shape.ring);
		areaM2 = ringAreaM2(shape.ring);
	} else {
		const boxes = shape.cells.map((c) => cellBounds(c)).filter((b) => b !== null);
		areaM2 = boxes.reduce((s, b) => s + ringAreaM2(boxRing(b)), 0);
		const n = Math.max(1, boxes.length);
		centre = [boxes.reduce((s, b) => s + (b.west + b.east) / 2, 0) / n, boxes.reduce((s, b) => s + (b.south + b.north) / 2, 0) / n];
	}
	const d = districts.find((x) => inPolygons(centre, x.polygons));
	return {
		district: d ? { code: d.code, nameZh: d.nameZh, nameEn: d.nameEn } : null,
		centre: [r6(centre[0]), r6(centre[1])],
		areaM2: Math.round(areaM2)
	};
}

/** The areas of a list, each with its place (the outlines read once). */
export async function withPlaces<A extends { shape: RiskShape }>(
	deps: IssuerDeps,
	areas: readonly A[]
): Promise<(A & { place: AreaPlace })[]> {
	const districts = await storedDistricts(deps);
	return areas.map((a) => ({ ...a, place: placeOf(a.shape, districts) }));
}
