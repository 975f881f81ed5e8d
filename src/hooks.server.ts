import type { Handle, HandleServerError } from '@sveltejs/kit';
import { ApiError } from '$lib/server/http/api-error';
import { problemResponse } from '$lib/server/http/respond';
import { isCrossSiteMutation } from '$lib/server/http/same-origin';

/** Cross-site mutations carrying our cookie are refused before any handler runs (same-origin.ts). */
export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteMutation(event.request)) {
		return problemResponse(new ApiError(403, 'request/cross-site', 'Cross-site request refused / 拒绝跨站请求'));
	}
	return resolve(event);
};

/** Unexpected errors: logged on the server, never a stack trace to the user. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error('unhandled', error instanceof Error ? error.stack : error);
	return { message: status === 404 ? 'Not found / 未找到' : 'Internal error / 服务器内部错误' };
};
