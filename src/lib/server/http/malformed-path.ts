/**
 * Whether a request path can be percent-decoded. SvelteKit decodes the path before routing (decode_pathname:
 * decodeURI on each part between encoded percent signs) and answers an undecodable one with its own 400 error page
 * — HTML, through handleError as if it were our fault. hooks.server.ts asks first, so an API client gets
 * `request/malformed-path` from the error table, like any other malformed request. RFC 3986 §2.1: a "%" must be
 * followed by two hex digits, and the bytes must be UTF-8 (WHATWG URL percent-decode + UTF-8 decode).
 */
export function isDecodablePath(pathname: string): boolean {
	try {
		// the decoded parts are used (counted), not just computed: the bundler drops a bare decodeURI(...) call as
		// free of side effects, throw included (it did, and the built server routed the path anyway)
		return pathname.split('%25').map((part) => decodeURI(part)).length > 0;
	} catch {
		return false;
	}
}

/** SvelteKit's error for an undecodable path, as handleError receives it (respond.js: SvelteKitError 400 "Malformed URI"). */
export function isMalformedPathError(error: unknown, status: number): boolean {
	return status === 400 && error instanceof Error && error.message.startsWith('Failed to decode URI');
}
