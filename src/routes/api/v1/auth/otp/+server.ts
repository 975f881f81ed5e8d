import { issuer } from '$lib/server/app';
import { requestOtp } from '$lib/server/auth/otp';
import { readRequest } from '$lib/server/http/read-request';
import { OtpRequestSchema, type OtpResponse } from '$lib/core/contract/resident';
import { jsonResponse, respond } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Request a one-time code. The answer is the same for every valid phone number. */
export const POST: RequestHandler = ({ request, getClientAddress }) =>
	respond(async () => {
		const deps = await issuer();
		const body = await readRequest(request, OtpRequestSchema, 1024);
		const r = await requestOtp(deps, { phone: body.phone, clientIp: getClientAddress(), nowMs: deps.clock() });
		return jsonResponse(r satisfies OtpResponse);
	});
