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
