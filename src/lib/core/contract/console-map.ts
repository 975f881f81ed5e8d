/**
 * The console map (issue 15): GET /api/v1/console/map — the region's own geometry as GeoJSON (RFC 7946,
 * [lon, lat]) for Leaflet to draw with no tile server: district outlines, venues with today's scans, the carrier's
 * cell sites, the active and upcoming risk areas, and the density layer (residents by colour per 0.01° grid cell,
 * from the aggregate the server maintains). POST /api/v1/console/risk-areas/preview: what saving an area would do.
 */
import * as v from 'valibot';
import { PreviewSchema } from './proposals.js';

const Position = v.strictTuple([v.number(), v.number()]);
/** Polygon / MultiPolygon / Point geometry; the coordinates are checked by the server that builds them. */
export const GeometrySchema = v.variant('type', [
	v.object({ type: v.literal('Point'), coordinates: Position }),
	v.object({ type: v.literal('Polygon'), coordinates: v.array(v.array(Position)) }),
	v.object({ type: v.literal('MultiPolygon'), coordinates: v.array(v.array(v.array(Position))) })
]);
export type Geometry = v.InferOutput<typeof GeometrySchema>;

const collection = <P extends v.GenericSchema>(properties: P) =>
	v.object({
		type: v.literal('FeatureCollection'),
		features: v.array(v.object({ type: v.literal('Feature'), geometry: GeometrySchema, properties }))
	});

export const ColourCountsSchema = v.object({ green: v.number(), yellow: v.number(), red: v.number() });
export type ColourCounts = v.InferOutput<typeof ColourCountsSchema>;

export const MapResponseSchema = v.object({
	/** ISO 8601: when the answer was built (the density aggregate is current to the last colour write) */
	asOf: v.string(),
	/** the box around everything drawn; null when there is nothing */
	bbox: v.nullable(v.object({ west: v.number(), south: v.number(), east: v.number(), north: v.number() })),
	districts: collection(v.object({ code: v.string(), nameZh: v.string(), nameEn: v.string() })),
	venues: collection(
		v.object({ id: v.string(), name: v.string(), region: v.string(), policy: v.string(), radiusM: v.number(), scansToday: v.number() })
	),
	/** venues without a position (not drawn) */
	unplacedVenues: v.number(),
	cells: collection(v.object({ id: v.string(), radiusM: v.number() })),
	riskAreas: collection(
		v.object({
			id: v.string(),
			name: v.string(),
			level: v.picklist(['high', 'medium']),
			from: v.string(),
			until: v.nullable(v.string()),
			active: v.boolean()
		})
	),
	density: v.object({
		gridDeg: v.number(),
		/** per cell: residents by colour (cells with nobody are left out) */
		cells: collection(ColourCountsSchema),
		/** residents whose place is unknown (no registered home): counted, not drawn */
		unplaced: ColourCountsSchema
	})
});
export type MapResponse = v.InferOutput<typeof MapResponseSchema>;

/** Where a risk area is, for lists: the district holding its centre, the centre ([lon, lat]) and its area. */
export const AreaPlaceSchema = v.object({
	district: v.nullable(v.object({ code: v.string(), nameZh: v.string(), nameEn: v.string() })),
	centre: Position,
	/** square metres */
	areaM2: v.number()
});
export type AreaPlace = v.InferOutput<typeof AreaPlaceSchema>;

/** POST /api/v1/console/risk-areas/preview: the request of POST /console/risk-areas, nothing written. */
export const AreaPreviewSchema = v.object({
	preview: PreviewSchema,
	/** more residents than this change colour: a second staff member must approve */
	threshold: v.number(),
	needsApproval: v.boolean(),
	place: AreaPlaceSchema
});
export type AreaPreview = v.InferOutput<typeof AreaPreviewSchema>;
