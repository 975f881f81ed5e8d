/**
 * CSRF defence for every mutating request. SvelteKit's own check (kit.csrf) covers only form content types
 * and compares with url.origin, which adapter-node guesses (https unless ORIGIN or PROTOCOL_HEADER is set);
 * ours covers JSON too and compares hosts, so it holds behind a TLS-terminating proxy that keeps Host.
 * A request that carries a cookie must come from our own site: Sec-Fetch-Site `same-origin` (or `none`:
 * typed by the user), or, from clients that do not send Fetch Metadata, an Origin whose host is ours.
 * When ORIGIN (adapter-node's setting) is configured, the Origin's scheme must match it too.
 * Requests without cookies (guard devices and data sources use bearer tokens) cannot be forged this way.
 */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isCrossSiteMutation(request: Request, env: NodeJS.ProcessEnv = process.env): boolean {
	if (SAFE.has(request.method)) return false;
	if (!request.headers.get('cookie')) return false;
	const site = request.headers.get('sec-fetch-site');
	if (site) return site !== 'same-origin' && site !== 'none';
	const origin = request.headers.get('origin');
	if (!origin) return true;
	try {
		const from = new URL(origin);
		if (from.host !== request.headers.get('host')) return true;
		// With ORIGIN configured we know our scheme: http://our-host is another origin than https://our-host.
		return env.ORIGIN ? from.protocol !== new URL(env.ORIGIN).protocol : false;
	} catch {
		return true;
	}
}

/** Plain-http loopback (development, tests): browsers may drop Secure cookies there. Everywhere else they are Secure. */
export function isLoopbackHost(hostHeader: string | null): boolean {
	const host = (hostHeader ?? '').replace(/:\d+$/, '');
	return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}
