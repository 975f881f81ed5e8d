// Security headers on every response of the production server, static files and prerendered pages included
// (adapter-node serves those without running SvelteKit hooks, so a hook alone would miss the pages). Installed by
// the generated build/index.js (scripts/wrap-server-entry.js) as the first 'request' listener, so every later
// writeHead keeps them. Pages also carry SvelteKit's hashed CSP <meta> (svelte.config.js kit.csp) for scripts and
// styles; this header adds what a <meta> cannot express (frame-ancestors) and locks down API answers.

/**
 * The headers for one request.
 * @param {{ path: string, https: boolean }} request
 * @returns {[string, string][]}
 */
export function securityHeaders({ path, https }) {
	const api = path.startsWith('/api/') || path.startsWith('/.well-known/');
	/** @type {[string, string][]} */
	const headers = [
		// JSON and CBOR answers are never rendered; pages may not be framed (clickjacking), nor load plugins.
		[
			'content-security-policy',
			api ? "default-src 'none'; frame-ancestors 'none'" : "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
		],
		['x-content-type-options', 'nosniff'],
		['x-frame-options', 'DENY'],
		// A session URL or a member id in a query string never leaks to another site.
		['referrer-policy', 'no-referrer'],
		['cross-origin-opener-policy', 'same-origin'],
		// The scanner needs the camera; nothing needs location, microphone or payment.
		['permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()']
	];
	// RFC 6797 §7.2: only over https (a plain-http answer's HSTS header is ignored anyway, and misleading).
	if (https) headers.push(['strict-transport-security', 'max-age=31536000; includeSubDomains']);
	return headers;
}

/**
 * Whether the client reached us over https: TLS on this socket, an https ORIGIN (adapter-node's setting for a
 * server behind a TLS-terminating proxy), or adapter-node's PROTOCOL_HEADER (e.g. x-forwarded-proto) saying so.
 * @param {import('node:http').IncomingMessage} req
 * @param {NodeJS.ProcessEnv} env
 */
export function isHttps(req, env = process.env) {
	if (/** @type {{ encrypted?: boolean }} */ (req.socket).encrypted) return true;
	if (env.ORIGIN?.startsWith('https://')) return true;
	const header = env.PROTOCOL_HEADER?.toLowerCase();
	return header !== undefined && header !== '' && req.headers[header] === 'https';
}

/**
 * Adds the headers to every response of `server` (runs before any other 'request' listener).
 * @param {import('node:http').Server} server
 */
export function addSecurityHeaders(server) {
	server.prependListener('request', (req, res) => {
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		for (const [name, value] of securityHeaders({ path, https: isHttps(req) })) res.setHeader(name, value);
	});
}
