/**
 * Load shedding (reliability catalogue: morning rush): past TONGXING_MAX_IN_FLIGHT concurrent API requests the
 * process answers 503 with Retry-After at once instead of queueing; pages are never shed; the slot is freed when a
 * request ends, also when it throws.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';

type Resolve = Parameters<Handle>[0]['resolve'];

function event(path: string, method = 'GET'): RequestEvent {
	return {
		url: new URL(`http://127.0.0.1${path}`),
		request: new Request(`http://127.0.0.1${path}`, { method })
	} as unknown as RequestEvent;
}

describe('handle: load shedding', () => {
	it('sheds API requests past the in-flight cap with 503 + Retry-After, and frees slots', async () => {
		vi.stubEnv('TONGXING_MAX_IN_FLIGHT', '2');
		vi.resetModules();
		const { handle } = await import('./hooks.server.js');
		const gates: (() => void)[] = [];
		const slow: Resolve = () => new Promise<Response>((r) => gates.push(() => r(new Response('ok'))));
		const held = [1, 2].map(() => Promise.resolve(handle({ event: event('/api/v1/me/codes'), resolve: slow })));
		await vi.waitFor(() => expect(gates).toHaveLength(2));

		const shed = await handle({ event: event('/api/v1/me/codes'), resolve: slow });
		expect(shed.status).toBe(503);
		expect(shed.headers.get('retry-after')).toBe('1');
		expect(((await shed.json()) as { code: string }).code).toBe('server/busy');
		// pages are static shells: never shed
		const page = await handle({ event: event('/app'), resolve: () => Promise.resolve(new Response('page')) });
		expect(page.status).toBe(200);

		for (const open of gates) open();
		expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
		// a request that throws frees its slot too
		await expect(Promise.resolve(handle({ event: event('/api/v1/x'), resolve: () => Promise.reject(new Error('boom')) }))).rejects.toThrow(
			'boom'
		);
		const after = await handle({ event: event('/api/v1/me/codes'), resolve: () => Promise.resolve(new Response('ok')) });
		expect(after.status).toBe(200);
		vi.unstubAllEnvs();
	});
});

describe('handle and handleError: paths that cannot be percent-decoded', () => {
	it('answers an API path with request/malformed-path before routing, and a page path without logging it as ours', async () => {
		const { handle, handleError } = await import('./hooks.server.js');
		const resolve = vi.fn<Resolve>(() => Promise.resolve(new Response('routed')));
		const bad = await handle({ event: event('/api/v1/appeals/%E4%B8'), resolve });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { code: string }).code).toBe('request/malformed-path');
		expect(resolve).not.toHaveBeenCalled();
		// an encoded percent sign and UTF-8 sequences are fine
		expect((await handle({ event: event('/api/v1/appeals/100%25%E4%B8%AD'), resolve })).status).toBe(200);

		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		// what SvelteKit hands handleError for a page path it could not decode (respond.js)
		const malformed = Object.assign(new Error('Failed to decode URI: /app/%E4%B8'), { status: 400, text: 'Malformed URI' });
		const shown = handleError({ error: malformed, status: 400, message: 'Malformed URI', event: event('/app/%E4%B8') });
		expect(shown).toMatchObject({ code: 'request/malformed-path' });
		expect(logged).not.toHaveBeenCalled();
		// anything else unexpected is still logged, as `internal`
		expect(handleError({ error: new Error('boom'), status: 500, message: 'Internal Error', event: event('/app') })).toMatchObject({
			code: 'internal'
		});
		expect(logged).toHaveBeenCalledTimes(1);
		logged.mockRestore();
	});
});
