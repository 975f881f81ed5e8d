import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { issuer, schedulePurge } from '$lib/server/app';
import { KeyFileError } from '$lib/server/keys/check-key-files';
import { scheduleReview } from '$lib/server/recolour/review-due';
import { ApiError } from '$lib/server/http/api-error';
import { problemResponse } from '$lib/server/http/respond';
import { isCrossSiteMutation } from '$lib/server/http/same-origin';

/**
 * Open and migrate the database, create demo keys, at start: a broken setup fails now, not at the first request.
 * Then the periodic jobs: retention purge (hourly) and the review of colours that change with time (every minute).
 */
export const init: ServerInit = async () => {
	const deps = await issuer().catch(refuseToStart);
	schedulePurge(deps.db);
	scheduleReview(deps);
};

/**
 * A setup the server cannot run with (a bad key file): one clear line naming the file, no stack trace, exit 1.
 * Anything else is unexpected and keeps its stack.
 */
function refuseToStart(e: unknown): never {
	if (e instanceof KeyFileError) {
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
export const MAX_IN_FLIGHT = Number(process.env.TONGXING_MAX_IN_FLIGHT ?? 512);
let inFlight = 0;

/** Cross-site mutations carrying our cookie are refused before any handler runs (same-origin.ts). */
export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteMutation(event.request)) {
		return problemResponse(new ApiError(403, 'request/cross-site', 'Cross-site request refused / 拒绝跨站请求'));
	}
	if (!event.url.pathname.startsWith('/api/')) return resolve(event);
	if (inFlight >= MAX_IN_FLIGHT) {
		return problemResponse(new ApiError(503, 'server/busy', 'Busy, retry shortly / 服务繁忙，请稍后重试', { retryAfterSeconds: 1 }));
	}
	inFlight++;
	try {
		return await resolve(event);
	} finally {
		inFlight--;
	}
};

/** Unexpected errors: logged on the server, never a stack trace to the user. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error('unhandled', error instanceof Error ? error.stack : error);
	return { message: status === 404 ? 'Not found / 未找到' : 'Internal error / 服务器内部错误' };
};
