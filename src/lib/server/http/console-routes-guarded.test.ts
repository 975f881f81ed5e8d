/**
 * Every console API handler asks requireRole for a staff session (the role then follows from its method, http/guard.ts),
 * and the handlers that manage people, devices and keys or approve proposals ask for more. Read from the route files,
 * so a handler added later without a guard fails here, not in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', 'routes', 'api', 'v1', 'console');

function routeFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? routeFiles(join(dir, e.name)) : e.name === '+server.ts' ? [join(dir, e.name)] : []
	);
}

/** handler → the role it asks for beyond its method's ('' when none), e.g. 'POST staff' → 'admin' */
function handlers(file: string): Map<string, string> {
	const text = readFileSync(file, 'utf8');
	const out = new Map<string, string>();
	const parts = text.split(/export const (GET|POST|PUT|PATCH|DELETE|HEAD): RequestHandler/).slice(1);
	for (let i = 0; i < parts.length; i += 2) {
		const m = /requireRole\([^)]*'staff'(?:,\s*'(\w+)')?\)/.exec(parts[i + 1]!);
		out.set(parts[i]!, m ? (m[1] ?? '') : 'NO GUARD');
	}
	return out;
}

const ASKS_MORE: Record<string, string> = {
	'POST proposals/[id]/approve': 'approver',
	'POST proposals/[id]/reject': 'approver',
	'POST staff': 'admin',
	'PUT staff/[username]/role': 'admin',
	'POST staff/[username]/disable': 'admin',
	'POST venues': 'admin',
	'PUT venues/[id]': 'admin',
	'POST venues/[id]/guards': 'admin',
	'POST guards/[id]/revoke': 'admin',
	'POST source-keys': 'admin',
	'POST source-keys/[id]/revoke': 'admin',
	'POST keys/rotate': 'admin',
	'POST keys/[kid]/compromise': 'admin'
};

describe('console routes are guarded by role', () => {
	it('every handler asks for a staff session; the management ones for admin, approvals for approver', () => {
		const seen = new Map<string, string>();
		for (const file of routeFiles(ROOT)) {
			const route = relative(ROOT, file).replace(/\/?\+server\.ts$/, '');
			for (const [method, asks] of handlers(file)) seen.set(`${method} ${route}`, asks);
		}
		expect(seen.size).toBeGreaterThan(20);
		for (const [handler, asks] of seen) {
			expect(asks, handler).not.toBe('NO GUARD');
			// other parts may ask for more on their own routes; these must ask for exactly this
			if (handler in ASKS_MORE) expect(asks, handler).toBe(ASKS_MORE[handler]);
		}
		for (const handler of Object.keys(ASKS_MORE)) expect(seen.has(handler), handler).toBe(true);
	});
});
