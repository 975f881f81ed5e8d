import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// ---------------------------------------------------------------------------------------------------------------
// Import fences: which layer may import what (docs/architecture.md). Each fence is its own rule, `fences/<name>`,
// so fences that cover the same file add up (a second `no-restricted-imports` block would replace the first)
// and a report names the fence it broke. src/lint-fences.test.ts plants forbidden imports in every fenced
// folder and checks that each one is reported here.
// ---------------------------------------------------------------------------------------------------------------

const restrictedImports = builtinRules.get('no-restricted-imports');
if (!restrictedImports) throw new Error('eslint no longer ships no-restricted-imports');
/** One copy of ESLint's no-restricted-imports per fence (same options, separate rule id). */
const FENCE_NAMES = [
	'core',
	'client-not-server',
	'service-worker',
	'kysely-in-store',
	'services-not-http',
	'server-not-client',
	'import-style'
];
const fencesPlugin = { rules: Object.fromEntries(FENCE_NAMES.map((name) => [name, restrictedImports])) };

// Every bare Node builtin ("fs", "crypto", "fs/promises", ...); "node:*" is covered by a pattern.
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));
const SQL_DRIVERS = ['kysely', 'better-sqlite3', 'pg'];

/**
 * `paths` entries: each bare module name with one message (subpaths go in `patterns`).
 * @param {string[]} list
 * @param {string} message
 * @returns {{ name: string; message: string }[]}
 */
const names = (list, message) => list.map((name) => ({ name, message }));
const TESTS = ['**/*.{test,spec}.{ts,js}'];

// (e) src/lib/core: pure TypeScript, shared by the browser, the offline scanner, the server and the CLI.
// Test files are outside the fence: they run under Vitest in Node and may read vector files from disk.
const CORE_FILES = ['src/lib/core/**/*.{ts,js}'];
const CORE_IMPORT_WHY =
	'src/lib/core is pure TypeScript shared by the browser, the scanner (offline) and the server: ' +
	'it must not depend on UI (svelte, components, i18n, QR drawing), storage (dexie, SQL), service-worker ' +
	'or Node modules, or server-only code (secrets), and never reads the clock — pass time in. It imports ' +
	'only itself, by relative `.js` paths ($lib does not resolve under tsx: CLI, worker threads).';
const CORE_CLOCK_WHY =
	'src/lib/core never reads the clock: time is a parameter (pass `now` in), so results are ' +
	'reproducible and tests can walk skewed clocks.';
// The folders next to core (src/lib/*, src/*) that a relative path could climb into.
const NOT_CORE_FOLDERS = 'components|i18n|qr|client|server|testing|routes|lib|demo|cli|params';

// (a) Code that runs in the browser: it must never pull in server modules (secrets, SQL, Node).
const CLIENT_FILES = [
	'src/lib/client/**/*.{ts,js,svelte}',
	'src/lib/components/**/*.{ts,js,svelte}',
	'src/lib/i18n/**/*.{ts,js}',
	'src/routes/**/*.svelte',
	'src/routes/**/*.svelte.{ts,js}',
	'src/routes/**/+{page,layout}.{ts,js}'
];
const CLIENT_NOT_SERVER_WHY =
	'Browser code (src/lib/client, src/lib/components, src/lib/i18n, pages and their +page.ts/+layout.ts) ' +
	'must not import server code: $lib/server holds secrets and SQL, and Node builtins, kysely, pg and ' +
	'better-sqlite3 do not run in a browser. Call the API (a typed client in src/lib/client) instead.';

// (b) The service worker: bundled on its own and run before any page; it may only use core and workbox.
const SERVICE_WORKER_WHY =
	'service-worker/ imports only workbox-* packages, $service-worker, its own files and src/lib/core: it is ' +
	'bundled alone, runs with no window and no DOM, and anything more is downloaded before the first page.';

// (c) The store is the only door to the database. Everything else goes through a repository in
// src/lib/server/store/ (so SQL can be reviewed, tested on SQLite and PostgreSQL, and swapped in one place).
const KYSELY_WHY =
	'Only src/lib/server/store/** imports kysely, pg or better-sqlite3: services call a repository in ' +
	'src/lib/server/store/ (one place for SQL, tested against SQLite and PostgreSQL).';
/**
 * Files outside src/lib/server/store/ allowed to import a driver: only the CLI tests' harness, which reads and
 * tampers with the SQLite file the way an operator could (src/lint-fences.test.ts fails on an entry whose file no
 * longer exists or no longer imports a driver, so the list only shrinks).
 */
const KYSELY_NOT_YET_IN_STORE = ['src/cli/cli-data-dir.ts'];

// (d) Services know nothing of HTTP: routes parse and respond, src/lib/server/http/ holds the HTTP helpers.
const SERVICES_NOT_HTTP_WHY =
	'Services (src/lib/server/* outside http/) never import src/lib/server/http/: they throw domain errors ' +
	'(src/lib/core/contract/errors.ts) and take parsed input; the route and http/ turn those into responses.';
/** Services that still import src/lib/server/http/** (none: services throw DomainError, src/lib/server/domain-error.ts). */
/** @type {string[]} */
const HTTP_IMPORT_NOT_YET_REMOVED = [];

// (f) The server never imports browser code.
const SERVER_NOT_CLIENT_WHY =
	'src/lib/server never imports browser code (src/lib/client, src/lib/components) or svelte: it runs in ' +
	'Node, also under tsx (CLI, worker threads) where neither the Svelte compiler nor $lib exists.';

// One import convention. App code (routes, components, client, i18n) reaches other folders by `$lib/…`;
// core and server use relative `.js` paths because they also run under tsx, where `$lib` does not resolve.
const APP_IMPORT_STYLE_WHY =
	'App code (src/routes, src/lib/components, src/lib/client, src/lib/i18n) imports other folders by ' +
	'`$lib/…`, not by `../` paths (same-folder `./x` is fine; docs/architecture.md).';
const NODE_IMPORT_STYLE_WHY =
	'src/lib/core and src/lib/server import by relative `.js` paths, never `$lib/…`: they also run under tsx ' +
	'(CLI, worker threads) where `$lib` does not resolve (docs/architecture.md).';

export default defineConfig(
	globalIgnores(['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'playwright-report/', 'data/', 'bench/out/', 'scratch/']),
	js.configs.recommended,
	tseslint.configs.recommendedTypeChecked,
	svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				// Several tsconfigs: the first one that includes a file gives it its types.
				project: ['./tsconfig.json', './tsconfig.node.json', './service-worker/tsconfig.json'],
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		},
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{
					argsIgnorePattern: '^_',
					varsIgnorePattern: '^_',
					caughtErrorsIgnorePattern: '^_',
					destructuredArrayIgnorePattern: '^_'
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { parser: tseslint.parser, svelteConfig }
		}
	},
	{
		files: ['service-worker/**/*.ts'],
		languageOptions: { globals: { ...globals.serviceworker } }
	},
	{ plugins: { fences: fencesPlugin } },
	{
		// (e) core imports only itself (relative .js) and pure packages (cborg, @noble/hashes, valibot, ...).
		files: CORE_FILES,
		ignores: TESTS,
		rules: {
			'fences/core': [
				'error',
				{
					paths: names(
						['svelte', 'dexie', 'i18next', 'qrcode', 'html5-qrcode', 'jsqr', ...SQL_DRIVERS, '$service-worker', ...nodeBuiltins],
						CORE_IMPORT_WHY
					),
					patterns: [
						{
							group: [
								'svelte/*',
								'dexie/*',
								'i18next/*',
								'qrcode/*',
								'html5-qrcode/*',
								'workbox-*',
								'kysely/*',
								'pg/*',
								'better-sqlite3/*',
								'node:*',
								'$app',
								'$app/*',
								'$env',
								'$env/*',
								'$lib',
								'$lib/*'
							],
							message: CORE_IMPORT_WHY
						},
						{
							// Relative paths that climb out of core into a neighbouring folder (src/lib/* or src/*),
							// at any depth: ../components, ../../server/x.js, ../../../lib/qr, ...
							regex: String.raw`^(?:\.\./)+(?:${NOT_CORE_FOLDERS})(?:/|$)`,
							message: CORE_IMPORT_WHY
						},
						{
							// Svelte files (components, .svelte.ts runes modules) by any path.
							regex: String.raw`\.svelte(?:\.[jt]s)?$`,
							message: CORE_IMPORT_WHY
						}
					]
				}
			],
			'no-restricted-syntax': [
				'error',
				{
					selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
					message: CORE_CLOCK_WHY
				},
				{ selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CORE_CLOCK_WHY },
				{ selector: "CallExpression[callee.name='Date']", message: CORE_CLOCK_WHY },
				{
					selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
					message: CORE_CLOCK_WHY
				}
			]
		}
	},
	{
		// (a) browser code never imports server code. Tests run in Node and ship nowhere: they may compare a
		// client table with the server's (console/import-kinds.test.ts).
		files: CLIENT_FILES,
		ignores: TESTS,
		rules: {
			'fences/client-not-server': [
				'error',
				{
					paths: names(['$lib/server', '$app/server', ...SQL_DRIVERS, ...nodeBuiltins], CLIENT_NOT_SERVER_WHY),
					patterns: [
						{
							group: ['$lib/server/*', '$env/*/private', 'kysely/*', 'pg/*', 'better-sqlite3/*', 'node:*'],
							message: CLIENT_NOT_SERVER_WHY
						},
						{
							// relative paths into the server tree: ../server/x, ../../lib/server/x, ../../../server
							regex: String.raw`^\.{1,2}/(?:\.\./)*(?:lib/)?server(?:/|$)`,
							message: CLIENT_NOT_SERVER_WHY
						}
					]
				}
			]
		}
	},
	{
		// (b) the service worker: workbox, $service-worker, its own folder and core; nothing else.
		files: ['service-worker/**/*.{ts,js}'],
		rules: {
			'fences/service-worker': [
				'error',
				{
					patterns: [
						{
							regex: String.raw`^(?!workbox-[a-z-]+(?:/|$)|\$service-worker$|\$lib/core(?:/|$)|(?:\.\./)+src/lib/core/|\./(?!\.))`,
							message: SERVICE_WORKER_WHY
						}
					]
				}
			]
		}
	},
	{
		// (c) only the store imports the SQL drivers.
		files: ['src/**/*.{ts,js,svelte}', 'service-worker/**/*.{ts,js}'],
		ignores: ['src/lib/server/store/**', ...KYSELY_NOT_YET_IN_STORE],
		rules: {
			'fences/kysely-in-store': [
				'error',
				{
					paths: names(SQL_DRIVERS, KYSELY_WHY),
					patterns: [{ group: ['kysely/*', 'pg/*', 'better-sqlite3/*'], message: KYSELY_WHY }]
				}
			]
		}
	},
	{
		// (d) services never import the HTTP layer.
		files: ['src/lib/server/**/*.{ts,js}'],
		ignores: ['src/lib/server/http/**', ...HTTP_IMPORT_NOT_YET_REMOVED],
		rules: {
			'fences/services-not-http': [
				'error',
				{
					paths: names(['$lib/server/http'], SERVICES_NOT_HTTP_WHY),
					patterns: [
						{ group: ['$lib/server/http/*'], message: SERVICES_NOT_HTTP_WHY },
						{
							// ./http/x (from src/lib/server), ../http/x, ../../http/x, ../../server/http/x
							regex: String.raw`^\.{1,2}/(?:\.\./)*(?:server/)?http(?:/|$)`,
							message: SERVICES_NOT_HTTP_WHY
						}
					]
				}
			]
		}
	},
	{
		// (f) the server never imports browser code or svelte.
		files: ['src/lib/server/**/*.{ts,js}'],
		ignores: TESTS,
		rules: {
			'fences/server-not-client': [
				'error',
				{
					paths: names(['svelte', 'dexie', '$lib/client', '$lib/components'], SERVER_NOT_CLIENT_WHY),
					patterns: [
						{ group: ['svelte/*', '$lib/client/*', '$lib/components/*'], message: SERVER_NOT_CLIENT_WHY },
						{
							regex: String.raw`^\.{1,2}/(?:\.\./)*(?:lib/)?(?:client|components)(?:/|$)`,
							message: SERVER_NOT_CLIENT_WHY
						},
						{ regex: String.raw`\.svelte(?:\.[jt]s)?$`, message: SERVER_NOT_CLIENT_WHY }
					]
				}
			]
		}
	},
	{
		// One import convention: app code reaches other folders by $lib/…. Test files may still reach files
		// outside src by relative path (test-vectors/*.json).
		files: CLIENT_FILES,
		rules: {
			'fences/import-style': [
				'error',
				{ patterns: [{ regex: String.raw`^(?:\.\./)+(?!\.\./|test-vectors/)`, message: APP_IMPORT_STYLE_WHY }] }
			]
		}
	},
	{
		// ... and the server never uses $lib (tsx); core forbids it in its own fence above.
		files: ['src/lib/server/**/*.{ts,js}'],
		rules: {
			'fences/import-style': ['error', { patterns: [{ group: ['$lib', '$lib/*'], message: NODE_IMPORT_STYLE_WHY }] }]
		}
	}
);

export { KYSELY_NOT_YET_IN_STORE, HTTP_IMPORT_NOT_YET_REMOVED };
