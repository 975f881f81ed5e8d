/**
 * The console's upload (`POST /api/v1/console/imports?source=…&kind=…[&encoding=…]&reasonCode=…[&note=…]`, staff
 * session): the same all-or-nothing import as `tongxing import`. Like every colour-changing staff action it goes
 * through the proposals service (server/proposals/actions.ts proposeImport): the file is read (capped at
 * CONSOLE_IMPORT_MAX_BYTES; bigger files: the CLI), previewed in a transaction that is rolled back
 * (import-preview.ts), then imported at once or kept for a second staff member's approval. This file holds the
 * request's parsing and the refusal of bad rows: 422 problem+json, one error per bad field with
 * `field` = `line.N.FIELD` and the message `line N: FIELD: …`.
 */
import { DomainError, type FieldProblem } from '../domain-error.js';
import { ENCODINGS, ImportFailed, formatRowError, isHeaderError, type ImportEncoding, type ImportFormat } from './import.js';
import { ImportUsage, importKind } from './import-file.js';
import { SOURCES, type KindName, type Source } from './kinds.js';
import { CONSOLE_IMPORT_MAX_BYTES } from '../../core/contract/import-kinds.js';

export { CONSOLE_IMPORT_MAX_BYTES };

export interface ConsoleImportRequest {
	source: Source;
	kind: KindName;
	format: ImportFormat;
	encoding: ImportEncoding;
	/** the whole file */
	data: Uint8Array;
}

/** The request's parameters and its body, read whole (request/too-large past the cap). */
export async function readConsoleImport(request: Request, url: URL): Promise<ConsoleImportRequest> {
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
	const tooLarge = () => new DomainError('request/too-large', { detail: `Over ${CONSOLE_IMPORT_MAX_BYTES} bytes: use tongxing import` });
	if (declared > CONSOLE_IMPORT_MAX_BYTES) throw tooLarge();
	const parts: Uint8Array[] = [];
	let size = 0;
	if (request.body) {
		const reader = request.body.getReader();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				size += value.length;
				if (size > CONSOLE_IMPORT_MAX_BYTES) throw tooLarge();
				parts.push(value);
			}
		} finally {
			reader.releaseLock();
		}
	}
	const data = new Uint8Array(size);
	let at = 0;
	for (const p of parts) {
		data.set(p, at);
		at += p.length;
	}
	return { source: source as Source, kind, format, encoding, data };
}

/** A refused file (ImportFailed) as the API answers it; anything else unchanged. */
export function importProblem(e: unknown): unknown {
	if (!(e instanceof ImportFailed)) return e;
	const tooLarge = e.errors[0]?.code === 'import/too-large';
	// a wrong header row is not "N rows have errors": its own code, fields named header.COLUMN
	const header = e.errors.length > 0 && e.errors.every(isHeaderError);
	const errors: FieldProblem[] = e.errors.map((x) => ({
		field: isHeaderError(x) ? `header.${x.field}` : `line.${x.line}.${x.field}`,
		code: x.code,
		message: { 'zh-CN': isHeaderError(x) ? `表头：${x.field}：${x.zh}` : `第 ${x.line} 行：${x.field}：${x.zh}`, en: formatRowError(x) }
	}));
	if (header) return new DomainError('import/bad-header', { errors });
	return new DomainError(tooLarge ? 'request/too-large' : 'import/invalid-rows', {
		errors,
		// worded by the clients in the reader's language (errors catalogue): "N rows have errors", "first M listed"
		params: { count: e.errorCount, listed: e.errors.length }
	});
}
