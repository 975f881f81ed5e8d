/**
 * tongxing import SOURCE FILE --kind KIND [--encoding utf-8|gbk|gb18030] [--format csv|json]
 * Streams the file (CSV with a header row; JSON array or NDJSON), validates every row and stores all or
 * nothing; progress on stderr; on bad rows prints `line N: field: message` (first 100) and exits 1 with
 * nothing written. Then recolours the residents the file affects. Formats: docs/data-sources.md.
 */
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import {
	ENCODINGS,
	ImportFailed,
	formatRowError,
	isHeaderError,
	type ImportEncoding,
	type ImportFormat,
	type ImportProgress
} from '../lib/server/sources/import.js';
import { ImportUsage, importFile, importKind } from '../lib/server/sources/import-file.js';
import { SOURCES, type Source } from '../lib/server/sources/kinds.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage: tongxing import ${SOURCES.join('|')} FILE --kind KIND [--encoding utf-8|gbk|gb18030] [--format csv|json]`;

export function formatProgress(p: ImportProgress): string {
	const rate = p.elapsedMs > 0 ? Math.round((p.rows * 1000) / p.elapsedMs) : 0;
	const pct = p.totalBytes
		? ` (${Math.min(100, Math.floor((p.bytes * 100) / p.totalBytes))}% of ${(p.totalBytes / 1e6).toFixed(1)} MB)`
		: '';
	return `${p.rows} rows${pct}, ${rate} rows/s`;
}

export async function importCommand(argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { kind: { type: 'string' }, encoding: { type: 'string' }, format: { type: 'string' } }
	});
	const [source, file, ...extra] = positionals;
	if (!source || !file || extra.length) throw new UsageError(USAGE);
	if (!(SOURCES as readonly string[]).includes(source)) throw new UsageError(`unknown source ${source}; ${USAGE}`);
	let kind;
	try {
		kind = importKind(source as Source, values.kind);
	} catch (e) {
		if (e instanceof ImportUsage) throw new UsageError(e.message);
		throw e;
	}
	const encoding = (values.encoding ?? 'utf-8').toLowerCase() as ImportEncoding;
	if (!ENCODINGS.includes(encoding)) throw new UsageError(`--encoding must be one of ${ENCODINGS.join(', ')}`);
	const ext = extname(file).toLowerCase();
	const format = (values.format ??
		(ext === '.csv' ? 'csv' : ext === '.json' || ext === '.ndjson' || ext === '.jsonl' ? 'json' : undefined)) as ImportFormat | undefined;
	if (format !== 'csv' && format !== 'json') throw new UsageError('--format csv|json (or name the file .csv, .json, .ndjson)');
	let size: number;
	try {
		size = statSync(file).size;
	} catch {
		throw new UsageError(`cannot read ${file}`);
	}
	const tty = process.stderr.isTTY;
	const progress = (line: string) => process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
	try {
		const deps = await issuer();
		const out = await importFile(
			deps,
			kind,
			createReadStream(file, { highWaterMark: 256 * 1024 }),
			{ format, encoding, totalBytes: size, onProgress: (p) => progress(`import: ${formatProgress(p)}`) },
			'cli/import',
			(done, total) => progress(`recolour: ${done}/${total} residents`)
		);
		if (tty) process.stderr.write('\n');
		const t = Object.entries(out.recoloured.transitions)
			.map(([k, n]) => `${k} ${n}`)
			.join(', ');
		process.stdout.write(
			`imported ${out.rows} ${kind} rows from ${file}; re-evaluated ${out.recoloured.evaluated} residents, ${out.recoloured.changed} changed colour${t ? ` (${t})` : ''}\n`
		);
		return 0;
	} catch (e) {
		if (!(e instanceof ImportFailed)) throw e;
		if (tty) process.stderr.write('\n');
		for (const err of e.errors) process.stderr.write(`${formatRowError(err)}\n`);
		if (e.errorCount > e.errors.length) process.stderr.write(`… and ${e.errorCount - e.errors.length} more\n`);
		// a wrong header row is not "N bad rows": say it is the columns (and that no row was read)
		const what =
			e.errors.length && e.errors.every(isHeaderError)
				? `the header row of ${file} does not match the ${kind} columns (docs/data-sources.md)`
				: e.errorCount === 1 && e.errors[0]?.code.startsWith('import/')
					? `${file} was refused (${e.errors[0].code.slice('import/'.length)})`
					: `${e.errorCount} bad row${e.errorCount === 1 ? '' : 's'} in ${file}`;
		process.stderr.write(`tongxing import: ${what}; nothing was imported\n`);
		return 1;
	} finally {
		await closeDatabase();
	}
}
