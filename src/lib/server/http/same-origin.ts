/**
 * CSRF defence for JSON endpoints. SvelteKit's own check (kit.csrf) only covers form content types, and a
 * cross-site page can still send text/plain or (with CORS preflight) other requests carrying cookies.
 * So every mutating request that relies on a cookie must come from our own origin: Sec-Fetch-Site
 * `same-origin` (or `none`: typed by the user), or an Origin header equal to ours. Requests that carry no
 * cookie (guard devices and data sources authenticate with a bearer token) are not CSRF-able.
 */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isCrossSiteMutation(request: Request, url: URL): boolean {
	if (SAFE.has(request.method)) return false;
	if (!request.headers.get('cookie')) return false;
	const site = request.headers.get('sec-fetch-site');
	if (site) return site !== 'same-origin' && site !== 'none';
	const origin = request.headers.get('origin');
	return origin === null || origin !== url.origin;
}
