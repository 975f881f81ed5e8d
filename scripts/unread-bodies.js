// Request bodies a handler answered without reading. SvelteKit's request stream (getRequest, as adapter-node builds
// it) starts reading the socket at once and pauses it when its queue is full; a handler that answers before reading
// the body — a 401 for a missing session, a 413 by content-length, a 403 cross-site — leaves the rest of the body
// unread on a paused socket, and the next request on that keep-alive connection hangs until the socket times out
// (the client sees a reset: "Failed to fetch" in a page). Node drains unread bodies itself only when nobody listened
// (http.IncomingMessage _dump; SvelteKit does not listen to a body whose content-length is over BODY_SIZE_LIMIT); here
// SvelteKit did. So once the answer is sent, the rest is read and dropped — up to a bound, past which the connection
// is closed (a client that keeps sending after its answer loses only its connection).

/**
 * Bytes drained after the answer before the connection is closed: adapter-node's BODY_SIZE_LIMIT (default 512K; K, M,
 * G suffixes as adapter-node parses them), what the server would have read had the handler wanted the body.
 * @param {NodeJS.ProcessEnv} env
 */
export function drainLimit(env = process.env) {
	const value = env.BODY_SIZE_LIMIT ?? '512K';
	const multiplier = /** @type {Record<string, number>} */ ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 })[value.slice(-1).toUpperCase()] ?? 1;
	const bytes = Number(multiplier === 1 ? value : value.slice(0, -1)) * multiplier;
	return Number.isNaN(bytes) ? 512 * 1024 : bytes;
}

/**
 * Drains the unread rest of each request body once its answer has been sent (runs before any other 'request'
 * listener; installed by the generated build/index.js, scripts/wrap-server-entry.js).
 * @param {import('node:http').Server} server
 * @param {number} [limit]
 */
export function drainUnreadBodies(server, limit = drainLimit()) {
	server.prependListener('request', (req, res) => {
		res.once('finish', () => {
			if (req.complete || req.destroyed) return;
			let drained = 0;
			// the stream's own listener feeds a stream nobody reads any more
			req.removeAllListeners('data');
			req.on('data', (/** @type {Buffer} */ chunk) => {
				drained += chunk.length;
				if (drained > limit) req.destroy();
			});
			req.resume();
		});
	});
}
