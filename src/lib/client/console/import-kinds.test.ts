import { describe, expect, it } from 'vitest';
import { CONSOLE_IMPORT_MAX_BYTES as SERVER_MAX } from '$lib/server/sources/console-import';
import { IMPORT_KINDS } from '$lib/server/sources/import-file';
import { KINDS, SOURCES } from '$lib/server/sources/kinds';
import { CONSOLE_IMPORT_MAX_BYTES, CONSOLE_KINDS, CONSOLE_SOURCES, contentTypeFor } from './import-kinds';

describe('console import table', () => {
	it('offers exactly the sources, kinds and fields the server accepts', () => {
		expect([...CONSOLE_SOURCES].sort()).toEqual([...SOURCES].sort());
		for (const source of SOURCES) {
			const table = CONSOLE_KINDS[source] as Record<string, readonly string[]>;
			expect(Object.keys(table).sort(), source).toEqual([...IMPORT_KINDS[source]].sort());
			for (const kind of IMPORT_KINDS[source]) expect(table[kind], `${source}/${kind}`).toEqual(KINDS[kind].fields);
		}
		expect(CONSOLE_IMPORT_MAX_BYTES).toBe(SERVER_MAX);
	});

	it('picks the content type from the file name', () => {
		expect(contentTypeFor('tests.CSV')).toBe('text/csv');
		expect(contentTypeFor('areas.json')).toBe('application/json');
		expect(contentTypeFor('points.jsonl')).toBe('application/x-ndjson');
		expect(contentTypeFor('report.xlsx')).toBeNull();
	});
});
