/**
 * Reads a JSON request body with a size cap, before anything is written: wrong content type → 415,
 * too large → 413, malformed → 400. The caller validates the shape.
 */
import { DomainError } from '../domain-error.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export async function readJson(request: Request, limitBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) throw new DomainError('request/content-type');
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limitBytes) throw new DomainError('request/too-large', { detail: `Body over ${limitBytes} bytes` });
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
				throw new DomainError('request/too-large', { detail: `Body over ${limitBytes} bytes` });
			}
			chunks.push(value);
		}
	}
	const text = new TextDecoder('utf-8', { fatal: false }).decode(concat(chunks, size));
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new DomainError('request/malformed-json');
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

/** Shape checks live with the services (they are not HTTP); re-exported for route handlers. */
export { expectObject } from '../expect-object.js';
