import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { previewRiskAreaAction } from '$lib/server/proposals/preview-risk-area';
import type { AreaPreview } from '$lib/core/contract/console-map';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: what saving this risk area would do (residents whose colour changes, approval needed, where it is); nothing is written. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await previewRiskAreaAction(deps, await readJson(request, 1024 * 1024))) satisfies AreaPreview);
	});
