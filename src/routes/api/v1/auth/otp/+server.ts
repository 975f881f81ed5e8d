import { issuer } from '$lib/server/app';
import { requestOtp } from '$lib/server/auth/otp';
import { expectObject, readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { clientAddress, trustedProxies } from '$lib/server/http/client-address';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Request a one-time code. The answer is the same for every valid phone number. */
export const POST: RequestHandler = ({ request, getClientAddress }) =>
	respond(async () => {
		const deps = await issuer();
		const body = expectObject(await readJson(request, 1024), ['phone']);
		const r = await requestOtp(deps, {
			phone: body.phone,
			clientIp: clientAddress(getClientAddress(), request.headers.get('x-forwarded-for'), trustedProxies()),
			nowMs: deps.clock()
		});
		return jsonResponse(r);
	});
