import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listIssuerKeys } from '$lib/server/staff/console-keys';
import type { KeysResponse } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the issuer keys (public facts only: kid, region, window, status), newest first, and the served trust list's version. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await listIssuerKeys(deps)) satisfies KeysResponse);
	});
