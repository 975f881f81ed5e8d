import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { isDemo, issuer, requireProductionKeys, requireSmsSender, schedulePurge, setFirstStartHook } from '$lib/server/app';
import { StartupError } from '$lib/server/startup-error';
import { scheduleReview } from '$lib/server/recolour/review-due';
import { scheduleLapse } from '$lib/server/proposals/lapse';
import { scheduleOverviewFold } from '$lib/server/overview/console-overview';
import { scheduleFactExchange } from '$lib/server/federation/schedule-fact-exchange';
import { DomainError } from '$lib/server/domain-error';
import { errorTitle } from '$lib/server/error-title';
import { problemResponse } from '$lib/server/http/respond';
import { isDecodablePath, isMalformedPathError } from '$lib/server/http/malformed-path';
import { isCrossSiteMutation } from '$lib/server/http/same-origin';
import { seedDemo } from './demo/seed-demo';
import { scheduleFederation } from '$lib/server/federation/schedule-federation';
import { servedByRole } from '$lib/server/federation/gateway-role';
import { serverRole, type ServerRole } from '$lib/server/config';
import { CLIENT_VERSION_HEADER, MIN_CLIENT_CONTRACT_VERSION, clientTooOld } from '$lib/core/contract/client-version';

// Demo mode: seed the demo register, venues and console account when the dependencies are first built. Set at
// import, before any request or init() can call issuer(); the server itself never imports src/demo.
if (isDemo()) setFirstStartHook(seedDemo);

/**
 * Open and migrate the database, create demo keys, at start: a broken setup fails now, not at the first request.
 * Then the periodic jobs: retention purge (hourly), the review of colours that change with time and the lapse of
 * urgent risk areas left unapproved, the fold of the console overview's counts (every minute).
 */
export const init: ServerInit = async () => {
	const deps = await issuer()
		.then(async (d) => {
			await requireProductionKeys(d); // production: root key offline, signed trust list installed
			requireSmsSender(d);
			return d;
		})
		.catch(refuseToStart);
	schedulePurge(deps.db);
	if (deps.config.role === 'gateway') return; // a gateway holds no residents: nothing to review or lapse
	scheduleReview(deps);
	scheduleLapse(deps);
	scheduleOverviewFold(deps.db, deps.clock);
	// federation: only with TONGXING_GATEWAY_URL (docs/federation.md §Facts); a fact that recolours someone here
	// publishes the revocation at once instead of at the next publish tick
	const publishNow = scheduleFederation(deps);
	scheduleFactExchange(deps, process.env, publishNow);
};

/** TONGXING_ROLE (an unknown value stops the start in app.ts; here it only picks which paths exist). */
const ROLE: ServerRole = (() => {
	try {
		return serverRole();
	} catch {
		return 'region';
	}
})();

/**
 * A setup the server cannot run with (a bad key file, no SMS sender in production, production keys not as the
 * offline-root ceremony leaves them): one clear line, no
 * stack trace, exit 1.
 * Anything else is unexpected and keeps its stack.
 */
function refuseToStart(e: unknown): never {
	if (e instanceof StartupError) {
		console.error(`Tongxing cannot start: ${e.message}`);
		process.exit(1);
	}
	throw e;
}

/**
 * Load shedding: past MAX_IN_FLIGHT concurrent API requests this process answers 503 with Retry-After at
 * once instead of queueing until everything times out (the morning-rush failure). Per process on purpose:
 * it protects this process's capacity; nothing about users is kept here.
 */
/** The oldest app contract version answered (client-version.ts); raised at run time with TONGXING_MIN_CLIENT_VERSION. */
const MIN_CLIENT_VERSION = Math.max(MIN_CLIENT_CONTRACT_VERSION, Number(process.env.TONGXING_MIN_CLIENT_VERSION) || 0);

export const MAX_IN_FLIGHT = Number(process.env.TONGXING_MAX_IN_FLIGHT ?? 512);
let inFlight = 0;

/** Cross-site mutations carrying our cookie are refused before any handler runs (same-origin.ts). */
export const handle: Handle = async ({ event, resolve }) => {
	// issue 14: a gateway is not a region and a region is not a gateway (gateway-role.ts)
	if (!servedByRole(ROLE, event.url.pathname)) return problemResponse(new DomainError('not-found'));
	if (isCrossSiteMutation(event.request)) {
		return problemResponse(new DomainError('request/cross-site'));
	}
	if (!event.url.pathname.startsWith('/api/')) return resolve(event);
	if (!isDecodablePath(event.url.pathname)) return problemResponse(new DomainError('request/malformed-path'));
	if (clientTooOld(event.request.headers.get(CLIENT_VERSION_HEADER), MIN_CLIENT_VERSION)) {
		return problemResponse(new DomainError('client/upgrade-required'));
	}
	if (inFlight >= MAX_IN_FLIGHT) {
		return problemResponse(new DomainError('server/busy', { retryAfterSeconds: 1 }));
	}
	inFlight++;
	try {
		return await resolve(event);
	} finally {
		inFlight--;
	}
};

/**
 * Unexpected errors: logged on the server, never a stack trace to the user. The body carries a code from the
 * error table, so clients word it like any problem; the message is its English title (one language).
 */
export const handleError: HandleServerError = ({ error, status }) => {
	// a page address with an invalid percent-encoding is the client's mistake, not ours (API paths: handle above)
	if (isMalformedPathError(error, status)) return { message: errorTitle('request/malformed-path'), code: 'request/malformed-path' };
	if (status !== 404) console.error('unhandled', error instanceof Error ? error.stack : error);
	const code = status === 404 ? 'not-found' : 'internal';
	return { message: errorTitle(code), code };
};
