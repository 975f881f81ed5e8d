/**
 * Small-distance geometry on WGS-84 coordinates. A sphere of the mean Earth radius (IUGG, 6 371 008.8 m) is
 * accurate to ~0.5 % — far below GPS and cell accuracy radii — and distances up to a few km use the local
 * equirectangular approximation (error < 0.1 m at 5 km in China's latitudes).
 */

export const EARTH_RADIUS_M = 6_371_008.8;
/** Metres per degree of latitude (and of longitude at the equator). */
export const M_PER_DEG = (Math.PI * EARTH_RADIUS_M) / 180;
const RAD = Math.PI / 180;

/** Whether lat/lon are usable coordinates (not NaN, in range, away from the poles where cells degenerate). */
export function isLatLon(lat: number, lon: number): boolean {
	return Number.isFinite(lat) && Number.isFinite(lon) && lat > -89 && lat < 89 && lon >= -180 && lon <= 180;
}

/** Distance in metres (equirectangular about the mean latitude). */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
	const dy = (lat2 - lat1) * M_PER_DEG;
	const dx = (lon2 - lon1) * M_PER_DEG * Math.cos(((lat1 + lat2) / 2) * RAD);
	return Math.sqrt(dx * dx + dy * dy);
}

/** Half-widths in degrees of a box of `radiusM` around latitude `lat` (for index look-ups). */
export function degreeBox(lat: number, radiusM: number): { dLat: number; dLon: number } {
	const dLat = radiusM / M_PER_DEG;
	const c = Math.cos(Math.min(89, Math.abs(lat) + dLat) * RAD);
	return { dLat, dLon: radiusM / (M_PER_DEG * c) };
}
