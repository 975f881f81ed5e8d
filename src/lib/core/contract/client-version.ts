/**
 * Version skew (catalogue case 23): a page cached by the service worker can outlive the API it was built for.
 * Every call from our apps carries `X-Tongxing-Client: <CONTRACT_VERSION>` (client/resident/api.ts). The server
 * answers `client/upgrade-required` (426) to a version below the oldest it still accepts
 * (MIN_CLIENT_CONTRACT_VERSION, or TONGXING_MIN_CLIENT_VERSION at run time), so an old app says "reload to
 * update" instead of misreading a changed answer. Bump CONTRACT_VERSION when a request or response changes in a
 * way an older app cannot handle, and MIN_CLIENT_CONTRACT_VERSION once the server drops the old shape.
 * Callers that send no header (data sources, scripts, the CLI) are not apps and are not refused for it.
 */
export const CLIENT_VERSION_HEADER = 'x-tongxing-client';
/** The contract version this build's apps speak. */
export const CONTRACT_VERSION = 1;
/** The oldest app contract version this build's server accepts. */
export const MIN_CLIENT_CONTRACT_VERSION = 1;

/**
 * True when a request's header names a client the server no longer accepts: a version below `min`, or a value
 * that is not a version at all. Absent: not an app, accepted.
 */
export function clientTooOld(header: string | null, min: number): boolean {
	if (header === null) return false;
	if (!/^\d{1,6}$/.test(header.trim())) return true;
	return Number(header.trim()) < min;
}
