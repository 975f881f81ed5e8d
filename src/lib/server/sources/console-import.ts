/**
 * The console's upload (`POST /api/v1/console/imports?source=…&kind=…[&encoding=…]`, staff session): the same
 * streamed, all-or-nothing import as `tongxing import`, the request body read as it arrives. Bad rows →
 * 422 problem+json, one error per bad field with `field` = `line.N.FIELD` and the message `line N: FIELD: …`.
 * Capped at CONSOLE_IMPORT_MAX_BYTES (bigger files: the CLI).
 */
import { ApiError, type FieldProblem } from '../http/api-error.js';
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
		throw new ApiError(400, 'import/source', `source must be one of ${SOURCES.join(', ')} / 数据源无效`);
	let kind;
	try {
		kind = importKind(source as Source, url.searchParams.get('kind') ?? undefined);
	} catch (e) {
		if (e instanceof ImportUsage) throw new ApiError(400, 'import/kind', `${e.message} / 数据类型无效`);
		throw e;
	}
	const encoding = (url.searchParams.get('encoding') ?? 'utf-8').toLowerCase() as ImportEncoding;
	if (!ENCODINGS.includes(encoding))
		throw new ApiError(400, 'import/encoding-param', `encoding must be one of ${ENCODINGS.join(', ')} / 编码参数无效`);
	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	const format: ImportFormat | null = /^text\/csv\b/.test(type) ? 'csv' : /^application\/(json|x-ndjson)\b/.test(type) ? 'json' : null;
	if (!format)
		throw new ApiError(415, 'request/content-type', 'Send text/csv, application/json or application/x-ndjson / 请上传 CSV 或 JSON');
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > CONSOLE_IMPORT_MAX_BYTES)
		throw new ApiError(413, 'request/too-large', `Over ${CONSOLE_IMPORT_MAX_BYTES} bytes: use tongxing import / 文件过大，请用命令行导入`);
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
		throw new ApiError(
			tooLarge ? 413 : 422,
			tooLarge ? 'request/too-large' : 'import/invalid-rows',
			'The file has errors; nothing was imported / 文件有误，未导入任何数据',
			{
				errors,
				detail: `${e.errorCount} bad row(s)${e.errorCount > e.errors.length ? `, first ${e.errors.length} listed` : ''}`
			}
		);
	}
}
