import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { guardEnrolmentCode } from '$lib/server/scans/enrolment-code';
import type { EnrolmentWithCode } from '$lib/core/contract/enrolment';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: enrol a new guard phone for the venue; the answer's `code` (TXE1:…) is shown once, as text and QR. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		try {
			const enrolment: EnrolmentWithCode = await guardEnrolmentCode(deps.db, deps.hmacKey, deps.dataDir, params.id, deps.clock());
			return jsonResponse(enrolment, { status: 201 });
		} catch (e) {
			if (e instanceof RangeError) throw new DomainError('venue/not-found');
			throw e;
		}
	});
