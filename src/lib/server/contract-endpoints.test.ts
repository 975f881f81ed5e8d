import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, endpointMethod, endpointPath } from '../core/contract/endpoints.js';

const routes = join(import.meta.dirname, '../../routes');
/** Not part of the apps' contract: development and benchmark helpers, and the API description itself. */
const OUTSIDE = ['GET /api/v1/bench/constant', 'GET /api/v1/dev/outbox', 'GET /api/v1/openapi.json'];

function serverFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) return serverFiles(p);
		return name === '+server.ts' ? [p] : [];
	});
}

function routeKeys(): string[] {
	return serverFiles(routes).flatMap((file) => {
		const path = '/' + relative(routes, file).replace(/\/?\+server\.ts$/, '');
		return [...readFileSync(file, 'utf8').matchAll(/export const (GET|POST|PUT|DELETE|PATCH)\b/g)].map((m) => `${m[1]} ${path}`);
	});
}

describe('the contract endpoint table', () => {
	it('has every API route file and method, and nothing else', () => {
		const fromFiles = routeKeys().filter((k) => !OUTSIDE.includes(k) && (k.includes('/api/v1/') || k.includes('/.well-known/')));
		expect(Object.keys(ENDPOINTS).sort()).toEqual(fromFiles.sort());
	});

	it('builds paths with encoded parameters', () => {
		expect(endpointPath('DELETE /api/v1/me/members/[id]', { id: 'a b/c' })).toBe('/api/v1/me/members/a%20b%2Fc');
		expect(endpointMethod('PUT /api/v1/me/device')).toBe('PUT');
		expect(() => endpointPath('GET /api/v1/appeals/[id]')).toThrow(RangeError);
	});
});
