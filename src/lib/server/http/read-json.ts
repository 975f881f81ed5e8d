/**
 * Reads a JSON request body with a size cap, before anything is written: wrong content type → 415,
 * too large → 413, malformed → 400. The caller validates the shape.
 */
import { ApiError } from './api-error.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export async function readJson(request: Request, limitBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'request/content-type', 'Send application/json / 请使用 JSON');
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limitBytes) throw new ApiError(413, 'request/too-large', `Body over ${limitBytes} bytes / 请求过大`);
	const reader = request.body?.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (reader) {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.length;
			if (size > limitBytes) {
				await reader.cancel();
				throw new ApiError(413, 'request/too-large', `Body over ${limitBytes} bytes / 请求过大`);
			}
			chunks.push(value);
		}
	}
	const text = new TextDecoder('utf-8', { fatal: false }).decode(concat(chunks, size));
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new ApiError(400, 'request/malformed-json', 'Malformed JSON / JSON 格式错误');
	}
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
	const out = new Uint8Array(size);
	let o = 0;
	for (const c of chunks) {
		out.set(c, o);
		o += c.length;
	}
	return out;
}

/** Rejects fields the endpoint does not know: a typo must not be silently ignored. */
export function expectObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(400, 'request/not-object', 'Expected a JSON object / 需要 JSON 对象');
	const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
	if (unknown.length) {
		throw new ApiError(400, 'request/unknown-field', 'Unknown fields / 未知字段', {
			errors: unknown.map((field) => ({
				field,
				code: 'request/unknown-field',
				message: { 'zh-CN': `未知字段 ${field}`, en: `unknown field ${field}` }
			}))
		});
	}
	return body as Record<string, unknown>;
}
