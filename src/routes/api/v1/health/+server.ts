import { json } from '@sveltejs/kit';
import { version } from '$app/environment';
import type { HealthResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

// Liveness probe (Playwright's webServer waits for it). Answered live, never prerendered or cached.
export const prerender = false;

export const GET: RequestHandler = () => json({ ok: true, version } satisfies HealthResponse, { headers: { 'cache-control': 'no-store' } });
