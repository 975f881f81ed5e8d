import { describe, expect, it } from 'vitest';
import { KINDS } from './kinds.js';
import { CONSOLE_SOURCES, IMPORT_KINDS, KIND_NAMES, SOURCES, contentTypeFor, fieldsOf, kindsOf } from '../../core/contract/import-kinds.js';

describe('import kinds', () => {
	it('are the kinds the server validates, with the fields its validators read', () => {
		expect(Object.keys(KINDS).sort()).toEqual([...KIND_NAMES].sort());
		for (const kind of KIND_NAMES) for (const f of KINDS[kind].required) expect(KINDS[kind].fields, kind).toContain(f);
	});

	it('offers every source in the console, each with its import kinds and their fields', () => {
		expect([...CONSOLE_SOURCES].sort()).toEqual([...SOURCES].sort());
		for (const source of SOURCES) {
			expect(kindsOf(source)).toEqual([...IMPORT_KINDS[source]]);
			for (const kind of kindsOf(source)) expect(fieldsOf(source, kind)).toBe(KINDS[kind].fields);
		}
		expect(kindsOf('health')).toContain('risk-areas');
		expect(fieldsOf('carrier', 'tests')).toEqual([]);
	});

	it('picks the content type from the file name', () => {
		expect(contentTypeFor('tests.CSV')).toBe('text/csv');
		expect(contentTypeFor('areas.json')).toBe('application/json');
		expect(contentTypeFor('points.jsonl')).toBe('application/x-ndjson');
		expect(contentTypeFor('report.xlsx')).toBeNull();
	});
});
