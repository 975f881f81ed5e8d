/** Whatever came back (problem+json, other JSON, HTML, a thrown fetch) becomes a problem with a code. */
import { describe, expect, it } from 'vitest';
import { badResponse, NETWORK_PROBLEM, ProblemError, problemFromResponse, problemFromThrown, toProblem } from './error-problem';

describe('error-problem', () => {
	it('keeps a problem+json body’s code, params, errors and detail, with the response status', () => {
		const errors = [{ field: 'x', code: 'x/y', message: { 'zh-CN': '甲', en: 'a' } }];
		expect(
			toProblem(409, { code: 'member/limit', title: 'At most 5 members', params: { max: 5 }, errors, detail: 'd', status: 200 })
		).toEqual({
			status: 409,
			code: 'member/limit',
			title: 'At most 5 members',
			params: { max: 5 },
			errors,
			detail: 'd'
		});
	});

	it('JSON without a code is http/<status>; no JSON at all is network/bad-response', () => {
		expect(toProblem(404, { message: 'Not Found' }).code).toBe('http/404');
		expect(toProblem(502, null)).toEqual(badResponse(502));
		expect(toProblem(500, [1, 2]).code).toBe('network/bad-response');
	});

	it('reads a Response once, HTML included', async () => {
		const html = new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
		expect(await problemFromResponse(html)).toMatchObject({ status: 502, code: 'network/bad-response' });
		const json = new Response(JSON.stringify({ code: 'auth/device', title: 'x' }), { status: 401 });
		expect(await problemFromResponse(json)).toMatchObject({ status: 401, code: 'auth/device' });
	});

	it("keeps a shedding server's Retry-After (delta seconds) for the clients' backoff", async () => {
		const busy = new Response(JSON.stringify({ code: 'server/busy' }), { status: 503, headers: { 'retry-after': '2' } });
		expect(await problemFromResponse(busy)).toMatchObject({ status: 503, code: 'server/busy', retryAfterSeconds: 2 });
		const dated = new Response('{}', { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' } });
		expect((await problemFromResponse(dated)).retryAfterSeconds).toBeUndefined();
		expect((await problemFromResponse(new Response('{}', { status: 500 }))).retryAfterSeconds).toBeUndefined();
	});

	it('maps what fetch and parsers throw to codes, never their messages', () => {
		expect(problemFromThrown(new TypeError('Failed to fetch'))).toBe(NETWORK_PROBLEM);
		expect(problemFromThrown(new SyntaxError('Unexpected token < in JSON')).code).toBe('network/bad-response');
		const p = toProblem(503, { code: 'trust-list/unavailable' });
		expect(problemFromThrown(new ProblemError(p))).toBe(p);
	});
});
