/**
 * The import fences in eslint.config.js (fences/*) actually hold: a probe file with one import is linted as if
 * it lived in each fenced folder, and every forbidden import must be reported by its fence (with the fence's
 * "why"), every allowed one must pass. ESLint's lintText with a filePath applies the config for that path
 * without writing anything to disk. Only the fence rules run (ruleFilter) and type information is switched
 * off for the probes: the fences are syntactic, and a typed program for the whole tree would take seconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { HTTP_IMPORT_NOT_YET_REMOVED, KYSELY_NOT_YET_IN_STORE } from '../eslint.config.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

type Fence =
	'core' | 'client-not-server' | 'service-worker' | 'kysely-in-store' | 'services-not-http' | 'server-not-client' | 'import-style';

/** A phrase of each fence's message: the report must carry the fence's reason, not a bare "restricted". */
const WHY: Record<Fence, string> = {
	core: 'src/lib/core is pure TypeScript',
	'client-not-server': 'Browser code',
	'service-worker': 'service-worker/ imports only',
	'kysely-in-store': 'Only src/lib/server/store/** imports kysely',
	'services-not-http': 'never import src/lib/server/http/',
	'server-not-client': 'src/lib/server never imports browser code',
	'import-style': 'import'
};

interface Probe {
	/** where the probe pretends to live (never written) */
	file: string;
	specifier: string;
	/** the fence that must report it, or null: it must pass every fence */
	fence: Fence | null;
}

const probe = (file: string, fence: Fence | null, ...specifiers: string[]): Probe[] =>
	specifiers.map((specifier) => ({ file, specifier, fence }));

const CORE = 'src/lib/core/__fence_probe.ts';
const CORE_DEEP = 'src/lib/core/rules/__fence_probe.ts';
const CLIENT = 'src/lib/client/resident/__fence_probe.ts';
const COMPONENT = 'src/lib/components/resident/__FenceProbe.svelte';
const PAGE = 'src/routes/app/__fence_probe/+page.svelte';
const PAGE_LOAD = 'src/routes/app/__fence_probe/+page.ts';
const I18N = 'src/lib/i18n/__fence_probe.ts';
const SW = 'service-worker/__fence_probe.ts';
const SERVICE = 'src/lib/server/issuer/__fence_probe.ts';
const SERVER_ROOT = 'src/lib/server/__fence_probe.ts';
const HTTP = 'src/lib/server/http/__fence_probe.ts';
const STORE = 'src/lib/server/store/__fence_probe.ts';
const ROUTE = 'src/routes/api/v1/__fence_probe/+server.ts';

const PROBES: Probe[] = [
	// (e) core: UI, i18n runtime, QR drawing, browser and server code, storage, service worker, Node, kit.
	...probe(
		CORE,
		'core',
		'$lib/components/resident/LiveQr.svelte',
		'../components/resident/LiveQr.svelte',
		'$lib/i18n/i18n.svelte',
		'../i18n/i18n.svelte',
		'i18next',
		'$lib/qr/draw',
		'../qr/matrix.js',
		'qrcode',
		'html5-qrcode',
		'html5-qrcode/third_party/zxing-js.umd.js',
		'$lib/client/resident/db',
		'../client/resident/db.js',
		'$lib/server/config',
		'../server/config.js',
		'svelte',
		'svelte/store',
		'dexie',
		'workbox-core',
		'workbox-window',
		'fs',
		'node:fs',
		'crypto',
		'$app/environment',
		'$env/static/public',
		'$env/dynamic/private',
		'kysely',
		'$lib/core/bytes'
	),
	...probe(
		CORE_DEEP,
		'core',
		'../../components/resident/LiveQr.svelte',
		'../../server/secrets.js',
		'../../qr/draw.js',
		'../../../lib/client/x.js'
	),
	...probe(CORE, null, './bytes.js', './rules/grid.js', 'cborg', '@noble/hashes/sha2.js', 'valibot'),
	...probe(CORE_DEEP, null, '../bytes.js', './grid.js', '../declaration/schema.js'),

	// (a) browser code never imports server code, by alias, by relative path, or through a Node/SQL module.
	...probe(
		CLIENT,
		'client-not-server',
		'$lib/server/config',
		'../../server/secrets.js',
		'kysely',
		'better-sqlite3',
		'pg',
		'node:crypto',
		'fs',
		'$env/static/private'
	),
	...probe(COMPONENT, 'client-not-server', '$lib/server/http/respond', 'path'),
	...probe(PAGE, 'client-not-server', '$lib/server/issuer/codes', 'kysely', '$app/server'),
	...probe(PAGE_LOAD, 'client-not-server', '$lib/server/config', 'node:fs'),
	...probe(I18N, 'client-not-server', '$lib/server/config', '../server/config.js'),
	...probe(CLIENT, null, '$lib/core/bytes', 'dexie', './db', '$lib/i18n/i18n.svelte', '$app/paths'),
	...probe(PAGE, null, '$lib/client/resident/sync', '$lib/components/resident/LiveQr.svelte', 'svelte'),

	// (b) the service worker: only workbox, $service-worker, its own files and core.
	...probe(
		SW,
		'service-worker',
		'dexie',
		'svelte',
		'$lib/client/resident/db',
		'$lib/i18n/i18n.svelte',
		'../src/lib/server/config.js',
		'idb',
		'node:fs',
		'$app/environment'
	),
	...probe(SW, null, 'workbox-precaching', 'workbox-core', '$service-worker', './fallback', '$lib/core/bytes', '../src/lib/core/bytes.js'),

	// (c) only the store imports the SQL drivers (files not in KYSELY_NOT_YET_IN_STORE).
	...probe(SERVICE, 'kysely-in-store', 'kysely', 'better-sqlite3', 'pg', 'kysely/helpers/postgres'),
	...probe(ROUTE, 'kysely-in-store', 'kysely'),
	...probe(STORE, null, 'kysely', 'better-sqlite3', 'pg'),

	// (d) services never import the HTTP layer.
	...probe(SERVICE, 'services-not-http', '../http/api-error.js', '../../server/http/respond.js', '$lib/server/http/guard'),
	...probe(SERVER_ROOT, 'services-not-http', './http/guard.js'),
	...probe(HTTP, null, './respond.js', '../auth/session.js'),
	...probe(ROUTE, null, '$lib/server/http/respond'),

	// (f) the server never imports browser code or svelte.
	...probe(
		SERVICE,
		'server-not-client',
		'../../client/scanner/enrolment.js',
		'../../components/resident/LiveQr.svelte',
		'svelte',
		'svelte/store',
		'dexie'
	),
	...probe(SERVICE, null, '../../core/bytes.js', '../store/db.js', 'node:crypto'),

	// One import convention: $lib/… across folders in app code; relative .js in server code.
	...probe(CLIENT, 'import-style', '../../core/bytes', '../scanner/db'),
	...probe(PAGE, 'import-style', '../../../lib/client/resident/sync'),
	...probe(SERVICE, 'import-style', '$lib/core/bytes')
];

function source(file: string, specifier: string): string {
	const line = `import '${specifier}';`;
	return file.endsWith('.svelte') ? `<script lang="ts">\n\t${line}\n</script>\n` : `${line}\n`;
}

describe('import fences (eslint.config.js)', () => {
	const eslint = new ESLint({
		cwd: ROOT,
		overrideConfig: { languageOptions: { parserOptions: { project: null, projectService: false } } },
		ruleFilter: ({ ruleId }) => ruleId.startsWith('fences/')
	});

	it('reports every forbidden import with its fence, and lets every allowed one pass', async () => {
		expect(PROBES.filter((p) => p.fence === 'core').length).toBeGreaterThanOrEqual(10);
		const outcomes = await Promise.all(
			PROBES.map(async (p) => {
				const [result] = await eslint.lintText(source(p.file, p.specifier), { filePath: join(ROOT, p.file) });
				const messages = result?.messages ?? [];
				const fatal = messages.find((m) => m.fatal);
				if (fatal) return `${p.file}: ${p.specifier}: parse error ${fatal.message}`;
				const fences = messages.map((m) => `${m.ruleId ?? '?'}: ${m.message}`);
				if (p.fence === null) return fences.length === 0 ? null : `${p.file}: ${p.specifier} should pass, got ${fences.join(' | ')}`;
				const hit = messages.find((m) => m.ruleId === `fences/${p.fence}`);
				if (!hit) return `${p.file}: ${p.specifier} should be reported by fences/${p.fence}, got ${fences.join(' | ') || 'nothing'}`;
				return hit.message.includes(WHY[p.fence]) ? null : `${p.file}: ${p.specifier}: message without its why: ${hit.message}`;
			})
		);
		expect(outcomes.filter((o) => o !== null)).toEqual([]);
	});
});

describe('temporary allowlists in eslint.config.js only shrink', () => {
	const SQL = /(?:from\s*|import\s*\(\s*|import\s+)['"](?:kysely|better-sqlite3|pg)(?:\/[^'"]*)?['"]/;
	const HTTP = /(?:from\s*|import\s*\(\s*)['"](?:\.{1,2}\/(?:\.\.\/)*(?:server\/)?http\/|\$lib\/server\/http\/)/;

	it.each([
		['KYSELY_NOT_YET_IN_STORE', KYSELY_NOT_YET_IN_STORE, SQL],
		['HTTP_IMPORT_NOT_YET_REMOVED', HTTP_IMPORT_NOT_YET_REMOVED, HTTP]
	] as const)('%s: every entry still exists and still imports what the fence forbids', (_name, list, pattern) => {
		const stale = list.filter((file) => {
			const path = join(ROOT, file);
			return !existsSync(path) || !pattern.test(readFileSync(path, 'utf8'));
		});
		expect(stale, 'remove these entries: the fence now holds for them').toEqual([]);
	});
});
