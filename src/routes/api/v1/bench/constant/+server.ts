import { json } from '@sveltejs/kit';
import { DomainError } from '$lib/server/domain-error';
import { problemResponse } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

/**
 * Benchmark baseline only (`npm run bench`, bench/server.ts): the cheapest SvelteKit endpoint there is, a
 * constant JSON body, to compare the real endpoints against in the same run on the same machine.
 *
 * It must not exist in production: it answers 404 (problem+json, like any unknown API path) unless the server
 * process was started with TONGXING_BENCH=1. The variable is read per request from process.env, so nothing is
 * baked into the build.
 */
export const prerender = false;

export const GET: RequestHandler = () => {
	if (process.env.TONGXING_BENCH !== '1') return problemResponse(new DomainError('not-found'));
	return json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
};
