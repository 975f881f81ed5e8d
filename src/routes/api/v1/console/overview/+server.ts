import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { consoleOverview } from '$lib/server/overview/console-overview';
import type { ConsoleOverview } from '$lib/core/contract/console-overview';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the overview's numbers (colour mix, recolours, pending work, imports, scans, devices, status list), from the kept counts. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const t0 = performance.now();
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		const body = (await consoleOverview(deps.db, deps.clock())) satisfies ConsoleOverview;
		// the time spent answering (session check included), for the benchmark (bench/overview.ts) and the browser's network panel
		return jsonResponse(body, { headers: { 'server-timing': `app;dur=${(performance.now() - t0).toFixed(1)}` } });
	});
