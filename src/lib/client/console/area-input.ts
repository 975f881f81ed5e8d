/**
 * Turning the risk-area form into the API's document (POST /api/v1/console/risk-areas). The server validates
 * everything again (risk-areas.ts parseRiskArea); this only reads what staff type: vertices as "lon,lat"
 * lines or a pasted GeoJSON Polygon (there are no map tiles offline), grid cell ids one per line, and
 * <input type="datetime-local"> values, which carry no zone, given the browser's offset.
 */
export type PolygonInput =
	{ ok: true; ring: [number, number][] } | { ok: false; error: 'bad-line'; line: number } | { ok: false; error: 'bad-geojson' };

function ringOfGeoJson(value: unknown): [number, number][] | null {
	if (typeof value !== 'object' || value === null) return null;
	const o = value as { type?: unknown; geometry?: unknown; coordinates?: unknown; features?: unknown };
	if (o.type === 'Feature') return ringOfGeoJson(o.geometry);
	if (o.type === 'FeatureCollection' && Array.isArray(o.features) && o.features.length === 1) return ringOfGeoJson(o.features[0]);
	if (o.type !== 'Polygon' || !Array.isArray(o.coordinates) || !Array.isArray(o.coordinates[0])) return null;
	const outer = o.coordinates[0] as unknown[];
	if (!outer.every((p) => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number')) return null;
	return outer.map((p) => [(p as number[])[0]!, (p as number[])[1]!]);
}

/** Lines of "lon,lat" (comma, space or tab between; blank lines skipped), or GeoJSON starting with "{". */
export function parsePolygon(text: string): PolygonInput {
	const trimmed = text.trim();
	if (trimmed.startsWith('{')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(trimmed);
		} catch {
			return { ok: false, error: 'bad-geojson' };
		}
		const ring = ringOfGeoJson(parsed);
		return ring ? { ok: true, ring } : { ok: false, error: 'bad-geojson' };
	}
	const ring: [number, number][] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!.trim();
		if (!line) continue;
		const m = /^(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)$/.exec(line);
		if (!m) return { ok: false, error: 'bad-line', line: i + 1 };
		ring.push([Number(m[1]), Number(m[2])]);
	}
	return { ok: true, ring };
}

export function parseCells(text: string): string[] {
	return text
		.split(/[\s,，]+/)
		.map((c) => c.trim())
		.filter(Boolean);
}

/** "2026-11-29T08:00" in the zone whose offset is `offsetMinutes` east of UTC → "2026-11-29T08:00:00+08:00". */
export function withOffset(local: string, offsetMinutes: number): string {
	const base = local.length === 16 ? `${local}:00` : local;
	const sign = offsetMinutes >= 0 ? '+' : '-';
	const abs = Math.abs(offsetMinutes);
	return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A datetime-local value in this browser's zone (its offset at that moment), as the API wants it. */
export function localToIso(local: string): string {
	// new Date('YYYY-MM-DDTHH:mm') is local time; getTimezoneOffset is minutes *behind* UTC.
	const offset = -new Date(local).getTimezoneOffset();
	return withOffset(local, Number.isNaN(offset) ? 0 : offset);
}

/** An instant as a datetime-local value in this browser's zone (for the form's default "from": now). */
export function isoToLocalInput(ms: number): string {
	const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
	return d.toISOString().slice(0, 16);
}
