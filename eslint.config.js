import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// The fence around src/lib/core (see the messages below). Test files are outside the fence: they
// run under Vitest in Node and may read vector files from disk.
const CORE_FILES = ['src/lib/core/**/*.{ts,js}'];
const CORE_TESTS = ['src/lib/core/**/*.{test,spec}.{ts,js}'];

const CORE_IMPORT_WHY =
	'src/lib/core is pure TypeScript shared by the browser, the scanner (offline) and the server: ' +
	'it must not depend on UI, storage, Node or server-only modules (secrets), and never reads ' +
	'the clock — pass time in.';
const CORE_CLOCK_WHY =
	'src/lib/core never reads the clock: time is a parameter (pass `now` in), so results are ' +
	'reproducible and tests can walk skewed clocks.';

// Every bare Node builtin ("fs", "crypto", "fs/promises", ...); "node:*" is covered by a pattern.
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));

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
	{
		files: CORE_FILES,
		ignores: CORE_TESTS,
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [
						...['svelte', 'dexie', '$lib/server', '$lib/client'].map((name) => ({
							name,
							message: CORE_IMPORT_WHY
						})),
						...nodeBuiltins.map((name) => ({ name, message: CORE_IMPORT_WHY }))
					],
					patterns: [
						{
							group: ['svelte/*', 'dexie/*', 'node:*', '$app/*', '$env/*', '$lib/server/*', '$lib/client/*'],
							message: CORE_IMPORT_WHY
						},
						{
							// relative paths that reach the server-only or browser-only trees
							regex: String.raw`^\.{1,2}/(?:.*/)?(?:server|client)(?:/|$)`,
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
	}
);
