import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPENAPI } from './openapi.js';

const routes = join(import.meta.dirname, '../../routes');

function serverFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) return serverFiles(p);
		return name === '+server.ts' ? [p] : [];
	});
}

describe('OpenAPI document', () => {
	it('documents every route file and every method it exports', () => {
		const paths = OPENAPI.paths as Record<string, Record<string, unknown>>;
		for (const file of serverFiles(routes)) {
			const path =
				'/' +
				relative(routes, file)
					.replace(/\/?\+server\.ts$/, '')
					.replace(/\[(\w+)\]/g, '{$1}');
			const methods = [...readFileSync(file, 'utf8').matchAll(/export const (GET|POST|PUT|DELETE|PATCH)\b/g)].map((m) =>
				m[1]!.toLowerCase()
			);
			expect(paths[path], path).toBeDefined();
			for (const m of methods) expect(paths[path]![m], `${m.toUpperCase()} ${path}`).toBeDefined();
		}
	});
});
