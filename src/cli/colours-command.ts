/**
 * tongxing colours [--colour C]... [--reason R]... [--format csv|json]
 * tongxing colours --ids FILE --purpose TEXT [--colour C]... [--reason R]... [--format csv|json]
 * Residents' current colours and reasons, streamed page by page (store/colour-listing.ts) with backpressure on
 * stdout, so a city of a million residents never sits in memory. CSV with a header row, or NDJSON.
 *
 * ID numbers: the database holds none in the clear (residents are keyed by HMACs of them), so they cannot be
 * listed. An operator who needs "which colour do these people have" passes the ID numbers they already hold
 * (--ids): each is normalised, validated (the specific failure is reported by line), hashed with the server key and
 * matched; the output carries the operator's ID number; and every resident looked up is recorded with the actor
 * and the --purpose in the append-only id_number_reads (migration 017) before any of it is printed.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { toBase64Url } from '../lib/core/bytes.js';
import { COLOURS } from '../lib/core/claims.js';
import { COLOUR_REASONS } from '../lib/core/colour-reasons.js';
import { idErrorText } from '../lib/core/declaration/declaration-errors.js';
import { ID_TYPES, validateIdNumber, type IdType } from '../lib/core/declaration/resident-id.js';
import { issuer } from '../lib/server/app.js';
import { idHmac } from '../lib/server/issuer/people.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { transaction } from '../lib/server/store/db.js';
import {
	recordIdNumberReads,
	residentColourPage,
	residentColoursOfRefs,
	type ColourFilter,
	type ListedColour
} from '../lib/server/store/colour-listing.js';
import { UsageError } from './usage-error.js';

const PAGE = 5000;
/** ID numbers hashed, matched and audited per round */
const ID_BATCH = 500;
const MAX_PURPOSE = 500;

const COLUMNS = ['ref', 'colour', 'reasons', 'ruleVersion', 'updatedAt', 'region', 'idMasked'] as const;

const NO_CLEAR_IDS = `the database holds no clear ID numbers (residents are keyed by HMACs of them), so none can be listed.
To see the colours of people whose ID numbers you hold, pass them: tongxing colours --ids FILE --purpose TEXT
(one ID number a line, or "idType,idNumber"; each is hashed and matched, and every lookup is recorded with the purpose).`;

/** RFC 4180: quote a cell that holds a comma, quote or line break. */
const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function record(r: ListedColour, idNumber?: string): Record<string, string | string[] | null> {
	return {
		...(idNumber !== undefined ? { idNumber } : {}),
		ref: r.ref,
		colour: r.colour,
		reasons: JSON.parse(r.reasons_json) as string[],
		ruleVersion: r.rule_version,
		updatedAt: new Date(r.updated_at).toISOString(),
		region: r.region,
		idMasked: r.id_masked
	};
}

class Output {
	constructor(
		private readonly format: 'csv' | 'json',
		private readonly withId: boolean
	) {}
	header(): string {
		return this.format === 'csv' ? [...(this.withId ? ['idNumber'] : []), ...COLUMNS].join(',') + '\n' : '';
	}
	line(r: ListedColour, idNumber?: string): string {
		return this.render(record(r, idNumber));
	}
	/** a listed ID number with no colour on record (never evaluated: not in the register, no facts) */
	unknown(ref: string, idNumber: string): string {
		return this.render({ idNumber, ref, colour: null, reasons: [], ruleVersion: null, updatedAt: null, region: null, idMasked: null });
	}
	private render(o: Record<string, string | string[] | null>): string {
		if (this.format === 'json') return JSON.stringify(o) + '\n';
		return (
			[...(this.withId ? ['idNumber'] : []), ...COLUMNS]
				.map((c) => {
					const v = o[c];
					return csvCell(Array.isArray(v) ? v.join(';') : (v ?? ''));
				})
				.join(',') + '\n'
		);
	}
}

/** The reader went away (`colours | head`): stop reading pages, exit 0 as other Unix tools do. */
class StdoutClosed extends Error {}
let stdoutClosed = false;
let onStdoutClosed: () => void = () => {};
const stdoutClosedSignal = new Promise<void>((resolve) => (onStdoutClosed = resolve));

/** Writes with backpressure: a slow reader (a pipe to a file, `less`) holds the reading of the next page. */
async function write(text: string): Promise<void> {
	if (stdoutClosed) throw new StdoutClosed();
	if (text && !process.stdout.write(text)) await Promise.race([once(process.stdout, 'drain'), stdoutClosedSignal]);
	if (stdoutClosed) throw new StdoutClosed();
}

function operator(): string {
	try {
		return `cli/${userInfo().username}`;
	} catch {
		return 'cli';
	}
}

export async function coloursCommand(argv: string[], _dataDir: string, nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			colour: { type: 'string', multiple: true },
			reason: { type: 'string', multiple: true },
			format: { type: 'string' },
			ids: { type: 'string' },
			purpose: { type: 'string' },
			'with-id-numbers': { type: 'boolean' }
		}
	});
	if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}; see tongxing colours --help`);
	if (values['with-id-numbers'] && !values.ids) throw new UsageError(NO_CLEAR_IDS);
	const colours = values.colour ?? [];
	for (const c of colours)
		if (!(COLOURS as readonly string[]).includes(c)) throw new UsageError(`--colour must be one of ${COLOURS.join(', ')}`);
	const reasons = values.reason ?? [];
	for (const r of reasons)
		if (!(r in COLOUR_REASONS) && !/^reason-\d{1,6}$/.test(r))
			throw new UsageError(`unknown --reason ${r}; one of ${Object.keys(COLOUR_REASONS).join(', ')} (or reason-N)`);
	const format = values.format ?? 'csv';
	if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
	const purpose = values.purpose?.trim();
	if (values.ids !== undefined && !purpose)
		throw new UsageError('--ids needs --purpose TEXT: why these people are looked up (it is recorded)');
	if (purpose !== undefined && values.ids === undefined) throw new UsageError('--purpose goes with --ids FILE');
	if (purpose !== undefined && purpose.length > MAX_PURPOSE) throw new UsageError(`--purpose: at most ${MAX_PURPOSE} characters`);
	const filter: ColourFilter = { colours, reasons };
	process.stdout.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code !== 'EPIPE') throw e;
		stdoutClosed = true;
		onStdoutClosed();
	});
	try {
		const deps = await issuer();
		const out = new Output(format, values.ids !== undefined);
		await write(out.header());
		if (values.ids === undefined) {
			let after: string | null = null;
			for (;;) {
				const page = await residentColourPage(deps.db, after, PAGE, filter);
				// the LIKE on the JSON text is a pre-filter; the reasons themselves decide
				let text = '';
				for (const r of page) if (hasReason(r, reasons)) text += out.line(r);
				await write(text);
				if (page.length < PAGE) break;
				after = page[page.length - 1]!.ref;
			}
			return 0;
		}
		return await byIdNumbers(deps, values.ids, purpose!, filter, out, nowMs);
	} catch (e) {
		if (e instanceof StdoutClosed) return 0;
		throw e;
	} finally {
		await closeDatabase();
	}
}

function hasReason(r: ListedColour, reasons: readonly string[]): boolean {
	if (!reasons.length) return true;
	const own = JSON.parse(r.reasons_json) as string[];
	return reasons.some((x) => own.includes(x));
}

async function byIdNumbers(
	deps: Awaited<ReturnType<typeof issuer>>,
	file: string,
	purpose: string,
	filter: ColourFilter,
	out: Output,
	nowMs: number
): Promise<number> {
	const readId = toBase64Url(randomBytes(9));
	const unfiltered = !filter.colours?.length && !filter.reasons?.length;
	const actor = operator();
	const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
	const opened = new Promise<void>((resolve, reject) => {
		if (file === '-') resolve();
		else input.once('open', () => resolve()).once('error', reject);
	});
	try {
		await opened;
	} catch {
		throw new UsageError(`cannot read ${file}`);
	}
	let bad = 0;
	let lookedUp = 0;
	let listed = 0;
	let batch: { ref: string; idNumber: string }[] = [];
	const flush = async () => {
		if (!batch.length) return;
		const refs = [...new Set(batch.map((b) => b.ref))];
		// the record first: nothing is printed that was not recorded
		const rows = await transaction(deps.db, async (tx) => {
			await recordIdNumberReads(
				tx,
				refs.map((ref) => ({ read_id: readId, ref, at: nowMs, actor, purpose }))
			);
			return residentColoursOfRefs(tx, refs, filter);
		});
		const byRef = new Map(rows.map((r) => [r.ref, r]));
		let text = '';
		for (const b of batch) {
			const r = byRef.get(b.ref);
			if (r && hasReason(r, filter.reasons ?? [])) {
				text += out.line(r, b.idNumber);
				listed++;
			} else if (!r && unfiltered && !byRef.has(b.ref)) {
				// without filters every listed ID number gets a line, so the operator sees who has no colour on record
				text += out.unknown(b.ref, b.idNumber);
				listed++;
			}
		}
		lookedUp += refs.length;
		batch = [];
		await write(text);
	};
	let lineNo = 0;
	for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
		lineNo++;
		const line = raw.replace(/^\uFEFF/, '').trim();
		if (!line || line.startsWith('#')) continue;
		const cells = line.split(/[,\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
		// "idType,idNumber" when the first cell names a document type, else the ID number is the first cell
		const typed = cells.length > 1 && (ID_TYPES as readonly string[]).includes(cells[0]!);
		const idType: IdType = typed ? (cells[0] as IdType) : 'resident';
		const number = typed ? cells[1]! : cells[0]!;
		if (lineNo === 1 && /^[a-z_ ]+$/i.test(number)) continue; // a header row
		const id = validateIdNumber(idType, number, nowMs);
		if (!id.ok) {
			bad++;
			if (bad <= 100) process.stderr.write(`${file} line ${lineNo}: ${idErrorText(id.code).en} (${id.code})\n`);
			continue;
		}
		batch.push({ ref: idHmac(deps.hmacKey, idType, id.value), idNumber: id.value });
		if (batch.length >= ID_BATCH) await flush();
	}
	await flush();
	process.stderr.write(
		`colours: ${lookedUp} resident(s) looked up by ID number (recorded as read ${readId}, purpose "${purpose}"), ${listed} listed` +
			(bad ? `, ${bad} invalid ID number(s) skipped` : '') +
			'\n'
	);
	return bad ? 1 : 0;
}
