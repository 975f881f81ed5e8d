/**
 * The console's upload (`POST /api/v1/console/imports?source=…&kind=…[&encoding=…]`, staff session): the same
 * streamed, all-or-nothing import as `tongxing import`, the request body read as it arrives. Bad rows →
 * 422 problem+json, one error per bad field with `field` = `line.N.FIELD` and the message `line N: FIELD: …`.
 * Capped at CONSOLE_IMPORT_MAX_BYTES (bigger files: the CLI).
 */
import { DomainError, type FieldProblem } from '../domain-error.js';
import type { IssuerDeps } from '../issuer/deps.js';
import { ENCODINGS, ImportFailed, formatRowError, type ImportEncoding, type ImportFormat } from './import.js';
import { ImportUsage, importFile, importKind } from './import-file.js';
import { SOURCES, type Source } from './kinds.js';
import { CONSOLE_IMPORT_MAX_BYTES } from '../../core/contract/import-kinds.js';

export { CONSOLE_IMPORT_MAX_BYTES };

async function* bodyChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
	if (!body) return;
	const reader = body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		reader.releaseLock();
	}
}

export async function consoleImport(deps: IssuerDeps, request: Request, url: URL, staffId: string) {
	const source = url.searchParams.get('source') ?? '';
	if (!(SOURCES as readonly string[]).includes(source))
		throw new DomainError('import/source', { detail: `source must be one of ${SOURCES.join(', ')}` });
	let kind;
	try {
		kind = importKind(source as Source, url.searchParams.get('kind') ?? undefined);
	} catch (e) {
		if (e instanceof ImportUsage) throw new DomainError('import/kind', { detail: e.message });
		throw e;
	}
	const encoding = (url.searchParams.get('encoding') ?? 'utf-8').toLowerCase() as ImportEncoding;
	if (!ENCODINGS.includes(encoding))
		throw new DomainError('import/encoding-param', { detail: `encoding must be one of ${ENCODINGS.join(', ')}` });
	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	const format: ImportFormat | null = /^text\/csv\b/.test(type) ? 'csv' : /^application\/(json|x-ndjson)\b/.test(type) ? 'json' : null;
	if (!format) throw new DomainError('request/content-type', { detail: 'Send text/csv, application/json or application/x-ndjson' });
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > CONSOLE_IMPORT_MAX_BYTES)
		throw new DomainError('request/too-large', { detail: `Over ${CONSOLE_IMPORT_MAX_BYTES} bytes: use tongxing import` });
	try {
		const out = await importFile(
			deps,
			kind,
			bodyChunks(request.body),
			{ format, encoding, maxBytes: CONSOLE_IMPORT_MAX_BYTES },
			`staff/${staffId}`
		);
		return {
			kind,
			rows: out.rows,
			recoloured: { evaluated: out.recoloured.evaluated, changed: out.recoloured.changed, transitions: out.recoloured.transitions }
		};
	} catch (e) {
		if (!(e instanceof ImportFailed)) throw e;
		const tooLarge = e.errors[0]?.code === 'import/too-large';
		const errors: FieldProblem[] = e.errors.map((x) => ({
			field: `line.${x.line}.${x.field}`,
			code: x.code,
			message: { 'zh-CN': `第 ${x.line} 行：${x.field}：${x.zh}`, en: formatRowError(x) }
		}));
		throw new DomainError(tooLarge ? 'request/too-large' : 'import/invalid-rows', {
			errors,
			// worded by the clients in the reader's language (errors catalogue): "N rows have errors", "first M listed"
			params: { count: e.errorCount, listed: e.errors.length }
		});
	}
}
