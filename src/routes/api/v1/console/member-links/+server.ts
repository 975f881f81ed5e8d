import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { linksForStaff } from '$lib/server/issuer/member-links';
import type { StaffMemberLinksResponse } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: member requests waiting for review (oldest first). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ links: await linksForStaff(deps) } satisfies StaffMemberLinksResponse);
	});
