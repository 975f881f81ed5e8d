/**
 * The client's address for rate limits (one-time codes, staff sign-in). By default the socket's peer: a header
 * any client can write must not choose whose budget it spends. Behind reverse proxies, TONGXING_TRUSTED_PROXIES
 * lists them (comma-separated addresses); only when the peer is one of them is `X-Forwarded-For` read, from the
 * right, skipping trusted proxies, and the first address that is not one is the client (RFC 7239 §5.2 explains
 * why the leftmost entries are the client's own claims).
 */

/** Parses TONGXING_TRUSTED_PROXIES into a set of addresses (IPv4-mapped IPv6 forms normalised). */
export function trustedProxies(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
	return new Set(
		(env.TONGXING_TRUSTED_PROXIES ?? '')
			.split(',')
			.map((a) => normaliseAddress(a.trim()))
			.filter(Boolean)
	);
}

function normaliseAddress(a: string): string {
	return a.startsWith('::ffff:') && a.includes('.') ? a.slice('::ffff:'.length) : a;
}

/**
 * @param peer the socket's remote address (SvelteKit's getClientAddress() without ADDRESS_HEADER)
 * @param forwardedFor the X-Forwarded-For header, if any
 */
export function clientAddress(peer: string, forwardedFor: string | null, proxies: ReadonlySet<string>): string {
	const socket = normaliseAddress(peer);
	if (!proxies.has(socket) || !forwardedFor) return socket;
	const hops = forwardedFor
		.split(',')
		.map((h) => normaliseAddress(h.trim()))
		.filter(Boolean);
	for (let i = hops.length - 1; i >= 0; i--) if (!proxies.has(hops[i]!)) return hops[i]!;
	return hops[0] ?? socket;
}
