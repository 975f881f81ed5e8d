/**
 * What an endpoint table is (endpoints.ts, resident-endpoints.ts) and the two string helpers every client needs,
 * apart from any table: an app's client imports only its own table, so the resident app's first load does not
 * carry the console's and the gateway's schemas (≤ 250 kB gzip, docs/resident-app.md).
 */
import type * as v from 'valibot';

export type AnySchema = v.GenericSchema;

export interface Endpoint {
	readonly request: AnySchema | null;
	readonly response: AnySchema | null;
}

export const e = <Req extends AnySchema | null, Res extends AnySchema | null>(request: Req, response: Res) => ({ request, response });

/** The JSON answer of an endpoint of table T (null for those without one). */
export type ResponseIn<T extends Record<string, Endpoint>, K extends keyof T> = T[K]['response'] extends infer S
	? S extends AnySchema
		? v.InferOutput<S>
		: null
	: never;

/** `/api/v1/me/members/[id]` with { id: 'x y' } → `/api/v1/me/members/x%20y`. */
export function endpointPath(key: string, params: Readonly<Record<string, string>> = {}): string {
	const path = key.slice(key.indexOf(' ') + 1);
	return path.replace(/\[([a-z]+)\]/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) throw new RangeError(`${key}: missing path parameter ${name}`);
		return encodeURIComponent(value);
	});
}

export function endpointMethod(key: string): string {
	return key.slice(0, key.indexOf(' '));
}
