/** The fetch helper never throws and never passes on a browser's or parser's message: failures are codes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, type ApiProblem } from './api';

afterEach(() => vi.unstubAllGlobals());

const answer = (body: string, status: number, type: string) =>
	vi.fn(() => Promise.resolve(new Response(body, { status, headers: { 'content-type': type } })));

async function problemOf(method: string, path: string, body?: unknown): Promise<ApiProblem> {
	const r = await api(method, path, body);
	if (r.ok) throw new Error('expected a problem');
	return r.problem;
}

describe('api()', () => {
	it('a failed fetch is network/unavailable with status 0', async () => {
		vi.stubGlobal(
			'fetch',
			vi.fn(() => Promise.reject(new TypeError('Failed to fetch')))
		);
		expect(await problemOf('GET', '/api/v1/config')).toMatchObject({ status: 0, code: 'network/unavailable' });
	});

	it('a problem+json answer keeps its code and params', async () => {
		vi.stubGlobal(
			'fetch',
			answer(
				JSON.stringify({ code: 'member/limit', title: 'At most 5 members', status: 409, params: { max: 5 } }),
				409,
				'application/problem+json'
			)
		);
		expect(await problemOf('POST', '/api/v1/me/members', {})).toMatchObject({ status: 409, code: 'member/limit', params: { max: 5 } });
	});

	it("a proxy's HTML page, or a 200 whose JSON does not parse, is network/bad-response", async () => {
		vi.stubGlobal('fetch', answer('<html>Bad Gateway</html>', 502, 'text/html'));
		expect(await problemOf('GET', '/api/v1/me/codes')).toMatchObject({ status: 502, code: 'network/bad-response' });
		vi.stubGlobal('fetch', answer('{"codes": [', 200, 'application/json'));
		expect(await problemOf('GET', '/api/v1/me/codes')).toMatchObject({ status: 200, code: 'network/bad-response' });
	});
});
