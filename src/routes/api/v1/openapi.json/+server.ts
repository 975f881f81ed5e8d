import { jsonResponse } from '$lib/server/http/respond';
import { OPENAPI } from '$lib/server/openapi';
import type { RequestHandler } from './$types';

export const prerender = false;

export const GET: RequestHandler = () => jsonResponse(OPENAPI, { headers: { 'cache-control': 'public, max-age=3600' } });
