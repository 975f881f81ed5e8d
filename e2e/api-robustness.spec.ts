/**
 * Every endpoint of the contract table (core/contract/endpoints.ts) against malformed input, with no session, as a
 * resident and as an admin: an answer below 500 (503 only as db/busy or server/busy), problem+json for every
 * refusal, no stack trace — on SQLite and, when TEST_DATABASE_URL is set (as in CI), on PostgreSQL, whose text
 * cannot hold U+0000 (a fuzz of every endpoint found 500s there: http/read-json.ts, store/errors.ts
 * isUnstorableText). A compact regression guard of that fuzz; new endpoints are covered by being in the table.
 */
import { expect, test } from '@playwright/test';
import { ENDPOINTS } from '../src/lib/core/contract/endpoints.js';
import { onEachEngine, type Storage } from '../scripts/drill/servers.js';
import { signIn, startServer, stopServer, type Server } from '../bench/server.js';
import { DEMO_STAFF } from '../src/demo/seed-staff.js';

/** Bodies a careless or hostile client sends, whatever the endpoint: not JSON, the wrong shape. */
const ANY_BODIES: [string, string][] = [
	['not json', '{"phone": '],
	['an array', '[]']
];

/** A body of the schema's shape: every string 'x', number 1, first option (valibot schema objects, read loosely). */
function sample(schema: unknown, depth = 0): unknown {
	const s = schema as {
		type?: string;
		entries?: Record<string, unknown>;
		item?: unknown;
		wrapped?: unknown;
		options?: unknown[];
		literal?: unknown;
		pipe?: unknown[];
	};
	if (!s || depth > 5) return 'x';
	switch (s.type) {
		case 'string':
			return 'x';
		case 'number':
			return 1;
		case 'boolean':
			return true;
		case 'picklist':
			return s.options![0];
		case 'literal':
			return s.literal;
		case 'array':
			return [sample(s.item, depth + 1)];
		case 'object':
		case 'strict_object':
		case 'loose_object':
			return Object.fromEntries(Object.entries(s.entries!).map(([k, v]) => [k, sample(v, depth + 1)]));
		case 'optional':
		case 'nullable':
		case 'nullish':
			return sample(s.wrapped, depth + 1);
		case 'union':
		case 'variant':
			return sample(s.options![0], depth + 1);
		default:
			return s.pipe ? sample(s.pipe[0], depth + 1) : 'x';
	}
}

/**
 * The endpoint's own shape with one leaf at a time made hostile: a string holding U+0000, a number past every
 * column (1e20) — so the rest of the body is well-formed and the bad value reaches as deep as it can.
 */
function schemaBodies(schema: unknown): [string, string][] {
	const base = sample(schema);
	const out: [string, string][] = [];
	const walk = (v: unknown, path: string[]) => {
		if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
		else if (path.length && (typeof v === 'string' || typeof v === 'number')) {
			const body = structuredClone(base) as Record<string, unknown>;
			let o = body;
			for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
			o[path.at(-1)!] = typeof v === 'string' ? 'a\u0000b' : 1e20;
			out.push([`${path.join('.')} = ${typeof v === 'string' ? 'NUL' : '1e20'}`, JSON.stringify(body)]);
		}
	};
	walk(base, []);
	return out;
}

/** Path parameters: a NUL, a broken percent-encoding, a very long one. */
const PARAMS = ['%00', '%E4%B8', 'x'.repeat(2000)];

type Session = Record<string, string>;

/**
 * An admin (the demo mode's console account) and a resident with a declared person and a registered device (the
 * benchmarks' sign-in, bench/server.ts), so refused input reaches as far as a real session lets it.
 */
async function sessions(server: Server): Promise<[string, Session][]> {
	const staff = await fetch(`${server.origin}/api/v1/staff/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.origin },
		body: JSON.stringify({ username: DEMO_STAFF.username, password: DEMO_STAFF.password })
	});
	expect(staff.status).toBe(200);
	return [
		['no session', {}],
		['resident', { cookie: (await signIn(server)).cookie }],
		['staff', { cookie: staff.headers.getSetCookie()[0]!.split(';')[0]! }]
	];
}

/** The answers that break the rules above, as one line each. */
async function probe(storage: Storage): Promise<string[]> {
	const server = await startServer(storage.dataDir, storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {});
	const bad: string[] = [];
	let sent = 0;
	try {
		const { origin } = server;
		const who = await sessions(server);
		// signing out ends the session the later endpoints would be probed with: last
		const signOut = 'DELETE /api/v1/auth/session';
		const endpoints = Object.entries(ENDPOINTS).sort(([a], [b]) => Number(a === signOut) - Number(b === signOut));
		for (const [key, endpoint] of endpoints) {
			const [method, template] = key.split(' ') as [string, string];
			const paths = template.includes('[') ? PARAMS.map((p) => template.replace(/\[[^\]]+\]/g, p)) : [template];
			const bodies: ([string, string] | undefined)[] =
				method === 'GET' || method === 'DELETE'
					? [undefined]
					: [...ANY_BODIES, ...(endpoint.request ? schemaBodies(endpoint.request) : [])];
			for (const [as, headers] of who)
				for (const path of paths)
					for (const body of bodies) {
						const res = await fetch(`${origin}${path}?since=%00&limit=1e400`, {
							method,
							headers: { origin, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
							...(body ? { body: body[1] } : {})
						});
						const text = await res.text();
						sent++;
						const type = res.headers.get('content-type') ?? '';
						const busy = res.status === 503 && /"code":"(db|server)\/busy"/.test(text);
						const what = `${key} ${path.slice(0, 40)} ${body?.[0] ?? ''} (${as}) on ${storage.engine}`;
						if (res.status >= 500 && !busy) bad.push(`${what}: ${res.status} ${text.slice(0, 120)}`);
						else if (res.status >= 400 && !type.includes('application/problem+json')) bad.push(`${what}: ${res.status} ${type}`);
						else if (/\n\s+at |SqliteError|DatabaseError|TypeError/.test(text)) bad.push(`${what}: a stack trace`);
					}
		}
	} finally {
		await stopServer(server.proc);
	}
	console.log(`  ${storage.engine}: ${sent} requests, ${bad.length} answers out of line`);
	return bad;
}

test('every endpoint answers malformed input with a problem, never a 500, on each engine', async () => {
	test.setTimeout(240_000);
	const { results } = await onEachEngine(probe, (line) => console.log(line));
	expect(results.flat()).toEqual([]);
});
