/**
 * The data sources and the kinds of record each delivers, with their fields, written once for the server
 * (POST /api/v1/sources/[source]/[kind], POST /api/v1/console/imports, `tongxing import`; server/sources) and the
 * console's upload form (/console/import). Column names are the JSON field names; docs/data-sources.md lists
 * them with examples. The validators that read the fields stay on the server (server/sources/kinds.ts).
 */
import * as v from 'valibot';

export const SOURCES = ['public-security', 'carrier', 'health'] as const;
export type Source = (typeof SOURCES)[number];
export const SourceSchema = v.picklist(SOURCES);

export const KIND_NAMES = [
	'tests',
	'cases',
	'quarantine',
	'register',
	'relations',
	'guardians',
	'phones',
	'trajectory',
	'risk-areas'
] as const;
export type KindName = (typeof KIND_NAMES)[number];
export const KindNameSchema = v.picklist(KIND_NAMES);

/** Accepted fields per kind (CSV header names / JSON keys), in the order the docs and the upload form list them. */
export const KIND_FIELDS: Readonly<Record<KindName, readonly string[]>> = {
	tests: ['idNumber', 'sampledAt', 'result'],
	cases: ['idNumber', 'confirmedAt', 'releasedAt', 'onsetAt', 'isolatedAt'],
	quarantine: ['idNumber', 'from', 'until'],
	register: ['idNumber', 'name', 'region', 'household'],
	relations: ['idNumber', 'contactOf', 'kind', 'exposedAt'],
	guardians: ['guardianIdNumber', 'wardIdNumber', 'relation'],
	phones: ['phone', 'idNumber'],
	trajectory: ['phone', 'at', 'lat', 'lon', 'cell', 'accuracyM'],
	'risk-areas': ['name', 'level', 'polygon', 'from', 'until']
};

/** Which kinds each source may push (risk areas are entered by staff, not pushed). */
export const PUSH_KINDS: Readonly<Record<Source, readonly KindName[]>> = {
	health: ['tests', 'cases', 'quarantine'],
	'public-security': ['register', 'relations', 'guardians'],
	carrier: ['phones', 'trajectory']
};

/** What each source may import: what it may push, and for health also the risk areas it designates. */
export const IMPORT_KINDS: Readonly<Record<Source, readonly KindName[]>> = {
	health: [...PUSH_KINDS.health, 'risk-areas'],
	'public-security': PUSH_KINDS['public-security'],
	carrier: PUSH_KINDS.carrier
};

export function isSource(x: unknown): x is Source {
	return typeof x === 'string' && (SOURCES as readonly string[]).includes(x);
}

export function isKindName(x: unknown): x is KindName {
	return typeof x === 'string' && (KIND_NAMES as readonly string[]).includes(x);
}

export const ENCODINGS = ['utf-8', 'gbk', 'gb18030'] as const;
export type ImportEncoding = (typeof ENCODINGS)[number];

/** The console upload's cap; bigger files go through `tongxing import`. */
export const CONSOLE_IMPORT_MAX_BYTES = 64 * 1024 * 1024;

/** The order the console's upload form offers the sources in. */
export const CONSOLE_SOURCES = ['health', 'public-security', 'carrier'] as const satisfies readonly Source[];
export type ConsoleSource = Source;
export type ConsoleKind = KindName;

export function kindsOf(source: Source): KindName[] {
	return [...IMPORT_KINDS[source]];
}

export function fieldsOf(source: Source, kind: KindName): readonly string[] {
	return IMPORT_KINDS[source].includes(kind) ? KIND_FIELDS[kind] : [];
}

/** The Content-Type the API expects, from the file's name (browsers often leave `type` empty for .csv/.ndjson). */
export function contentTypeFor(fileName: string): string | null {
	const ext = fileName.toLowerCase().split('.').pop();
	if (ext === 'csv' || ext === 'txt') return 'text/csv';
	if (ext === 'json') return 'application/json';
	if (ext === 'ndjson' || ext === 'jsonl') return 'application/x-ndjson';
	return null;
}
