import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { recordStaffAction } from '$lib/server/audit/record-staff-action';
import { staffActor } from '$lib/server/audit/staff-actor';
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
		const s = await requireRole(deps, request, cookies, 'staff');
		try {
			const enrolment: EnrolmentWithCode = await guardEnrolmentCode(deps.db, deps.hmacKey, deps.dataDir, params.id, deps.clock());
			await recordStaffAction(deps.db, {
				actor: await staffActor(deps.db, s.subject),
				action: 'guard.enrol',
				target: enrolment.deviceId,
				detail: { venue: params.id },
				at: deps.clock()
			});
			return jsonResponse(enrolment, { status: 201 });
		} catch (e) {
			if (e instanceof RangeError) throw new DomainError('venue/not-found');
			throw e;
		}
	});
