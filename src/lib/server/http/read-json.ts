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
	let value: unknown;
	try {
		value = JSON.parse(text) as unknown;
	} catch {
		throw new DomainError('request/malformed-json');
	}
	const nul = nulPath(value, '');
	if (nul !== undefined)
		throw new DomainError('request/invalid', {
			errors: [
				{
					field: nul,
					code: 'text/nul',
					message: { 'zh-CN': '内容含有不允许的空字符（U+0000）', en: 'The text contains a NUL character (U+0000), which is not allowed' }
				}
			]
		});
	return value;
}

/**
 * The dotted path (problem.ts FieldError) of the first string — value or key — holding U+0000, if any. No field of
 * ours may hold one (names, ID numbers, addresses, notes), and PostgreSQL text cannot store it: checked here, once
 * for every JSON body, so the answer names the field instead of the database refusing the write. Iterative: a body
 * may nest thousands of levels deep (64 kB of "["), deeper than the call stack.
 */
function nulPath(value: unknown, root: string): string | undefined {
	const todo: [unknown, string][] = [[value, root]];
	const at = (path: string, k: string) => (path ? `${path}.${k}` : k);
	for (let item = todo.pop(); item; item = todo.pop()) {
		const [v, path] = item;
		if (typeof v === 'string') {
			if (v.includes('\u0000')) return path;
		} else if (Array.isArray(v)) {
			for (let i = v.length - 1; i >= 0; i--) todo.push([v[i], at(path, String(i))]);
		} else if (typeof v === 'object' && v !== null) {
			const entries = Object.entries(v);
			for (const [k] of entries) if (k.includes('\u0000')) return at(path, k);
			for (let i = entries.length - 1; i >= 0; i--) todo.push([entries[i]![1], at(path, entries[i]![0])]);
		}
	}
	return undefined;
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
