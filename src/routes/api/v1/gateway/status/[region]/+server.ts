import { issuer } from '$lib/server/app';
import { respond, jsonResponse } from '$lib/server/http/respond';
import { readCoseBody } from '$lib/server/http/read-cose-body';
import { acceptStatusDocument, MAX_UPLOAD_BYTES } from '$lib/server/federation/gateway-trust';
import { federationContext } from '$lib/server/federation/federation-context';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: a region uploads a status list (full, or a delta continuing the seq the gateway holds). */
export const POST: RequestHandler = ({ params, request }) =>
	respond(async () => {
		const deps = await issuer();
		const bytes = await readCoseBody(request, MAX_UPLOAD_BYTES);
		return jsonResponse(await acceptStatusDocument(federationContext(deps, { uploads: true }), params.region, bytes));
	});
