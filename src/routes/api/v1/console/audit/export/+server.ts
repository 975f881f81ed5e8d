import { issuer } from '$lib/server/app';
import { auditCsv, readAuditRequest } from '$lib/server/audit/audit-log';
import { recordStaffAction } from '$lib/server/audit/record-staff-action';
import { staffActor } from '$lib/server/audit/staff-actor';
import { requireRole } from '$lib/server/http/guard';
import { respond } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * Staff: the filtered audit as a CSV download (the viewer's filters; no paging). The export is itself recorded
 * (`audit.export`, with the filter), since the file holds whom staff looked up.
 */
export const GET: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const { filter } = readAuditRequest(url.searchParams);
		const now = deps.clock();
		await recordStaffAction(deps.db, {
			actor: await staffActor(deps.db, s.subject),
			action: 'audit.export',
			detail: { ...filter },
			at: now
		});
		const rows = auditCsv(deps.db, filter);
		const encoder = new TextEncoder();
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				try {
					const next = await rows.next();
					if (next.done) controller.close();
					else controller.enqueue(encoder.encode(next.value));
				} catch (e) {
					controller.error(e);
				}
			},
			async cancel() {
				await rows.return(undefined);
			}
		});
		const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, '');
		return new Response(body, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="tongxing-audit-${stamp}.csv"`,
				'cache-control': 'no-store'
			}
		});
	});
