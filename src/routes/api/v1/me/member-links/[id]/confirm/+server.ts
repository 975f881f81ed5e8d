import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { confirmByCode } from '$lib/server/issuer/member-links';
import { ConfirmMemberLinkRequestSchema, type MemberLinkOutcome } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The code the member's phone received: confirms the link (200) or otp/invalid, otp/expired, otp/locked. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const body = await readRequest(request, ConfirmMemberLinkRequestSchema, 1024);
		return jsonResponse((await confirmByCode(deps, account.id, params.id, body.code)) satisfies MemberLinkOutcome);
	});
