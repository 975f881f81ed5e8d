import { afterEach, describe, expect, it, vi } from 'vitest';
const BAD_RESPONSE_CODE = 'network/bad-response';
import { enrolGuard, getVenues, uploadImport } from './console/console-client';
import { getHistory, getMyCodes, removeMember, requestOtp, submitAppeal } from './resident/resident-api';
import { uploadScans } from './scanner/scanner-api';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	const type = status >= 400 ? 'application/problem+json' : 'application/json';
	return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': type, ...headers } });
}

function mockFetch(...responses: Response[]) {
	const f = vi.fn((_url: string, _init: RequestInit) => Promise.resolve(responses.shift() ?? answer(500, {})));
	vi.stubGlobal('fetch', f);
	return f;
}

afterEach(() => vi.unstubAllGlobals());

describe('typed clients', () => {
	it('send the request and return the checked answer', async () => {
		const f = mockFetch(answer(200, { challengeId: 'c', expiresAt: 5 }));
		const r = await requestOtp({ phone: '13800000000' });
		expect(r).toMatchObject({ ok: true, status: 200, data: { challengeId: 'c', expiresAt: 5 } });
		expect(f).toHaveBeenCalledWith('/api/v1/auth/otp', expect.objectContaining({ method: 'POST', body: '{"phone":"13800000000"}' }));
	});

	it('turn an answer of the wrong shape into network/bad-response, never an exception', async () => {
		mockFetch(answer(200, { challengeId: 7 }));
		expect(await requestOtp({ phone: '1' })).toEqual({
			ok: false,
			problem: { status: 200, code: BAD_RESPONSE_CODE, title: expect.any(String) as string, errors: [] }
		});
		mockFetch(answer(200, { venues: [{ id: 'v', name: 'n', region: '440305', policy: 'anyone', guards: 0 }] }));
		expect(await getVenues()).toMatchObject({ ok: false, problem: { code: BAD_RESPONSE_CODE } });
		mockFetch(new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }));
		expect(await getVenues()).toMatchObject({ ok: false, problem: { code: BAD_RESPONSE_CODE } });
	});

	it('pass problems through unchanged', async () => {
		const problem = {
			type: 'x',
			title: 'Bad / 错',
			status: 422,
			code: 'appeal/invalid',
			errors: [{ field: 'text', code: 'appeal/text', message: { 'zh-CN': '短', en: 'short' } }]
		};
		mockFetch(answer(422, problem));
		const r = await submitAppeal({ personId: 'p', codeId: null, text: 'x' });
		expect(r).toMatchObject({ ok: false, problem: { status: 422, code: 'appeal/invalid', errors: problem.errors } });
		vi.stubGlobal(
			'fetch',
			vi.fn(() => Promise.reject(new TypeError('offline')))
		);
		expect(await getVenues()).toMatchObject({ ok: false, problem: { status: 0, code: 'network/unavailable' } });
	});

	it('build paths and queries from the endpoint table', async () => {
		const f = mockFetch(answer(200, { personId: 'p 1', history: [] }), new Response(null, { status: 204 }));
		expect(await getHistory('p 1')).toMatchObject({ ok: true, data: { history: [] } });
		expect(f).toHaveBeenLastCalledWith('/api/v1/me/history?personId=p+1', expect.objectContaining({ method: 'GET' }));
		expect(await removeMember('a/b')).toMatchObject({ ok: true, status: 204, data: null });
		expect(f).toHaveBeenLastCalledWith('/api/v1/me/members/a%2Fb', expect.objectContaining({ method: 'DELETE' }));
	});

	it('let 304 through for the codes, with no body', async () => {
		const f = mockFetch(new Response(null, { status: 304, headers: { etag: '"e"' } }));
		expect(await getMyCodes('"e"')).toMatchObject({ ok: true, status: 304, data: null });
		const init = f.mock.calls[0]?.[1];
		expect(f.mock.calls[0]?.[0]).toBe('/api/v1/me/codes');
		expect(init?.headers).toMatchObject({ 'if-none-match': '"e"' });
	});

	it('check the guard enrolment and the scan upload', async () => {
		mockFetch(
			answer(201, {
				v: 1,
				deviceId: 'dev12345',
				token: 'x'.repeat(43),
				venue: { id: 'v1234', name: 'n', region: '440305', policy: 'green-only' },
				code: 'TXE1:abc'
			})
		);
		expect(await enrolGuard('v1234')).toMatchObject({ ok: true, data: { code: 'TXE1:abc' } });
		const f = mockFetch(answer(200, { acks: [{ eventId: 'e', status: 'duplicate', seq: 1 }], gaps: [] }));
		expect(await uploadScans('tok', [])).toMatchObject({ ok: true, data: { acks: [{ status: 'duplicate' }] } });
		const [url, init] = f.mock.calls[0]!;
		expect(url).toBe('/api/v1/scans');
		expect(init.headers).toMatchObject({ authorization: 'Bearer tok' });
	});
});

describe('the console upload', () => {
	it('checks the import answer the same way', async () => {
		class FakeXhr {
			status = 200;
			statusText = 'OK';
			responseText = JSON.stringify({ kind: 'tests', rows: 2 });
			upload: { onprogress?: unknown; onload?: unknown } = {};
			onload?: () => void;
			onerror?: () => void;
			url = '';
			open(_m: string, url: string) {
				this.url = url;
			}
			setRequestHeader() {}
			send() {
				this.onload?.();
			}
		}
		vi.stubGlobal('XMLHttpRequest', FakeXhr);
		const r = await uploadImport(
			{ source: 'health', kind: 'tests', encoding: 'utf-8', reasonCode: 'test-result' },
			new Blob(['x']),
			'text/csv',
			() => {}
		);
		expect(r).toMatchObject({ ok: false, problem: { code: BAD_RESPONSE_CODE } });
	});
});
