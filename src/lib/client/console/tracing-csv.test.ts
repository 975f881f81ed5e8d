import { describe, expect, it } from 'vitest';
import { tracingCsv } from './tracing-csv';
import type { CoVisitor } from '$lib/core/contract/tracing';

const person = (over: Partial<CoVisitor> = {}): CoVisitor => ({
	ref: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
	name: '张*',
	idMasked: '440305********1236',
	colour: 'yellow',
	contact: null,
	overlapMinutes: 105,
	first: '2026-11-28T01:00:00.000Z',
	last: '2026-11-28T02:45:00.000Z',
	evidence: [
		{ kind: 'gps', place: '22.5450,114.0550', overlapMinutes: 105, from: '2026-11-28T01:00:00.000Z', until: '2026-11-28T02:45:00.000Z' }
	],
	...over
});

describe('tracingCsv', () => {
	it('writes masked identity and a short hashed ref, never the whole ref', () => {
		const csv = tracingCsv([person()]);
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		expect(lines[0]).toBe('ref_hash,name_masked,id_masked,colour,contact,overlap_minutes,first,last,evidence');
		expect(lines[1]).toBe(
			'01b09d11f1a12232,张*,440305********1236,yellow,,105,2026-11-28T01:00:00.000Z,2026-11-28T02:45:00.000Z,"gps:22.5450,114.0550:105"'
		);
		expect(csv).not.toContain('Yz0123456789');
	});

	it('hashes a ref that starts with "-" to hex, not to a formula-looking cell', () => {
		expect(
			tracingCsv([person({ ref: '-b8SMUJ3uz16Cd22xxxxxxxx' })])
				.split('\r\n')[1]!
				.split(',')[0]
		).toMatch(/^[0-9a-f]{16}$/);
	});

	it('defuses formulas and quotes separators', () => {
		const csv = tracingCsv([person({ name: '=HYPERLINK("x")', evidence: [] })]);
		expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
	});
});
