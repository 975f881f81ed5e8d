import { json } from '@sveltejs/kit';
import { version } from '$app/environment';
import type { HealthResponse } from '$lib/core/contract/resident';
import { issuer } from '$lib/server/app';
import { healthReport } from '$lib/server/health';
import type { RequestHandler } from './$types';

// Readiness (Playwright's webServer and load balancers wait for 200): the database, the signing key, the
// published lists and the SMS sender (src/lib/server/health.ts). 503 while any part is down. Never cached.
export const prerender = false;

export const GET: RequestHandler = async () => {
	const headers = { 'cache-control': 'no-store' };
	let deps;
	try {
		deps = await issuer();
	} catch {
		return json({ ok: false, version, error: 'not-initialised' } satisfies HealthResponse, {
			status: 503,
			headers: { ...headers, 'retry-after': '5' }
		});
	}
	const report = await healthReport(deps);
	return json({ ...report, version } satisfies HealthResponse, { status: report.ok ? 200 : 503, headers });
};
