#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, generators) through tsx: `node bin/run-ts.js FILE.ts [args]`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [file, ...rest] = process.argv.slice(2);
if (file === undefined) {
	process.stderr.write('usage: node bin/run-ts.js FILE.ts [args]\n');
	process.exit(2);
}
process.argv = [process.execPath, resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
