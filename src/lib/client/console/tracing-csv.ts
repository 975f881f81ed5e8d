/**
 * The contact-tracing list as CSV for the officer's export (issue 15): masked names and ID numbers and a short
 * hashed reference — never a clear ID (the server never had one to send). Cells that a spreadsheet would run as a
 * formula (= + - @ tab CR) are quoted with a leading apostrophe (CSV injection, OWASP).
 */
import { fromBase64Url, toHex } from '$lib/core/bytes';
import type { CoVisitor } from '$lib/core/contract/tracing';

export const CSV_COLUMNS = ['ref_hash', 'name_masked', 'id_masked', 'colour', 'contact', 'overlap_minutes', 'first', 'last', 'evidence'];

/**
 * The ref (itself a keyed hash of the ID number, base64url) shortened to its first 8 bytes in hex: enough to match
 * rows, nothing more — and hex, so no cell starts with a character a spreadsheet reads as a formula.
 */
export function refHash(ref: string): string {
	const bytes = fromBase64Url(ref.slice(0, 12));
	return bytes ? toHex(bytes.subarray(0, 8)) : ref.slice(0, 16).replace(/[^A-Za-z0-9]/g, '0');
}

function cell(x: string | number | null): string {
	let s = x === null ? '' : String(x);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tracingCsv(people: readonly CoVisitor[]): string {
	const rows = people.map((p) =>
		[
			refHash(p.ref),
			p.name,
			p.idMasked,
			p.colour,
			p.contact,
			p.overlapMinutes,
			p.first,
			p.last,
			p.evidence.map((e) => `${e.kind}:${e.place}:${e.overlapMinutes}`).join('; ')
		]
			.map(cell)
			.join(',')
	);
	// a BOM so spreadsheet programs read the masked Chinese names as UTF-8
	return `\uFEFF${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
