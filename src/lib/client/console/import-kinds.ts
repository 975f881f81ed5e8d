/**
 * What the console's upload form offers: per source the kinds it may import and their fields, mirroring the
 * server's IMPORT_KINDS and KINDS[kind].fields (src/lib/server/sources; import-kinds.test.ts keeps them equal).
 * The browser cannot import server modules, so the table is repeated here.
 */
export const CONSOLE_SOURCES = ['health', 'public-security', 'carrier'] as const;
export type ConsoleSource = (typeof CONSOLE_SOURCES)[number];

export const CONSOLE_KINDS = {
	health: {
		tests: ['idNumber', 'sampledAt', 'result'],
		cases: ['idNumber', 'confirmedAt', 'releasedAt'],
		quarantine: ['idNumber', 'from', 'until'],
		'risk-areas': ['name', 'level', 'polygon', 'from', 'until']
	},
	'public-security': { register: ['idNumber', 'name', 'region', 'household'], relations: ['idNumber', 'contactOf', 'kind', 'exposedAt'] },
	carrier: { phones: ['phone', 'idNumber'], trajectory: ['phone', 'at', 'lat', 'lon', 'cell', 'accuracyM'] }
} as const satisfies Record<ConsoleSource, Record<string, readonly string[]>>;

export type ConsoleKind = { [S in ConsoleSource]: keyof (typeof CONSOLE_KINDS)[S] }[ConsoleSource];

export function kindsOf(source: ConsoleSource): ConsoleKind[] {
	return Object.keys(CONSOLE_KINDS[source]) as ConsoleKind[];
}

export function fieldsOf(source: ConsoleSource, kind: ConsoleKind): readonly string[] {
	return (CONSOLE_KINDS[source] as Record<string, readonly string[]>)[kind] ?? [];
}

export const ENCODINGS = ['utf-8', 'gb18030', 'gbk'] as const;

/** The Content-Type the API expects, from the file's name (browsers often leave `type` empty for .csv/.ndjson). */
export function contentTypeFor(fileName: string): string | null {
	const ext = fileName.toLowerCase().split('.').pop();
	if (ext === 'csv' || ext === 'txt') return 'text/csv';
	if (ext === 'json') return 'application/json';
	if (ext === 'ndjson' || ext === 'jsonl') return 'application/x-ndjson';
	return null;
}

export const CONSOLE_IMPORT_MAX_BYTES = 64 * 1024 * 1024;
