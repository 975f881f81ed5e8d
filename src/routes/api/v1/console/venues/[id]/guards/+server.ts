import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { enrolGuardFromConsole } from '$lib/server/staff/devices';
import type { EnrolmentWithCode } from '$lib/core/contract/enrolment';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): enrol a new guard phone for the venue; the answer's `code` (TXE1:…) is shown once, as text and QR. Audited. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		return jsonResponse((await enrolGuardFromConsole(deps, s.subject, params.id)) satisfies EnrolmentWithCode, { status: 201 });
	});
