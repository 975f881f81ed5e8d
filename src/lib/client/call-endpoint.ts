/**
 * The typed layer over `api()` (client/resident/api.ts) that the three apps' clients share: calls an endpoint
 * of the contract table (core/contract/endpoints.ts) and checks its JSON answer with the endpoint's valibot
 * schema. An answer that does not match becomes a problem with code `network/bad-response` (status kept), so
 * pages handle one shape and never see a parser exception; HTTP problems pass through from `api()` untouched.
 */
import * as v from 'valibot';
import { endpointMethod, endpointPath, type Endpoint, type ResponseIn } from '$lib/core/contract/endpoint-table';
import { badResponse } from '$lib/core/contract/error-problem';
import { api, type ApiResult } from './resident/api';

/** A successful result whose data is checked with `schema`; a mismatch becomes a `network/bad-response` problem. */
export function checked<S extends v.GenericSchema>(schema: S, r: ApiResult<unknown>): ApiResult<v.InferOutput<S>> {
	if (!r.ok) return r;
	const parsed = v.safeParse(schema, r.data);
	if (!parsed.success) return { ok: false, problem: badResponse(r.status) };
	return { ok: true, status: r.status, data: parsed.output, headers: r.headers };
}

export interface CallOptions {
	params?: Readonly<Record<string, string>>;
	query?: Readonly<Record<string, string | undefined>>;
	body?: unknown;
	headers?: Record<string, string>;
}

export function endpointUrl(key: string, opts: Pick<CallOptions, 'params' | 'query'> = {}): string {
	const path = endpointPath(key, opts.params);
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries(opts.query ?? {})) if (value !== undefined) query.set(name, value);
	const q = query.toString();
	return q ? `${path}?${q}` : path;
}

/**
 * Calls one endpoint of `table`; the answer is checked with its response schema (endpoints without one answer
 * null). Each app passes its own table (resident-endpoints.ts for the resident app; the whole contract elsewhere,
 * call-contract-endpoint.ts), so an app's bundle carries only the schemas it calls.
 */
export async function callIn<T extends Record<string, Endpoint>, K extends keyof T & string>(
	table: T,
	key: K,
	opts: CallOptions = {}
): Promise<ApiResult<ResponseIn<T, K>>> {
	const r = await api<unknown>(endpointMethod(key), endpointUrl(key, opts), opts.body, opts.headers);
	const schema: v.GenericSchema | null = table[key]!.response;
	if (!r.ok) return r;
	if (schema === null) return { ...r, data: null as ResponseIn<T, K> };
	return checked(schema, r) as ApiResult<ResponseIn<T, K>>;
}
