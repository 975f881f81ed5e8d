/** problemResponse: the status comes from the error table, the title is one language, params travel as-is. */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERRORS } from '../../core/contract/errors.js';
import { DomainError } from '../domain-error.js';
import { problemResponse, respond } from './respond.js';

describe('problemResponse', () => {
	it('maps the code to its status and writes an English title with params', async () => {
		const r = problemResponse(new DomainError('member/limit', { params: { max: 5 }, retryAfterSeconds: 0.2 }));
		expect(r.status).toBe(409);
		expect(r.headers.get('content-type')).toBe('application/problem+json');
		expect(r.headers.get('retry-after')).toBe('1');
		expect(await r.json()).toEqual({
			type: 'https://tongxing.example/problems/member/limit',
			code: 'member/limit',
			status: 409,
			title: 'At most 5 members',
			params: { max: 5 }
		});
	});

	it('words plurals in English and keeps field errors and detail', async () => {
		const errors = [{ field: 'line.3.x', code: 'x/y', message: { 'zh-CN': '第 3 行', en: 'line 3' } }];
		const body = (await problemResponse(
			new DomainError('import/invalid-rows', { params: { count: 1, listed: 1 }, errors, detail: 'd' })
		).json()) as Record<string, unknown>;
		expect(body).toMatchObject({ status: 422, title: '1 row has errors; nothing was imported', errors, detail: 'd' });
	});

	it('every server code has an HTTP status and a one-language title', async () => {
		for (const code of ERROR_CODES) {
			if (ERRORS[code].status === 0) continue;
			const body = (await problemResponse(
				new DomainError(code, {
					params: { max: 1, count: 2, version: 'v', status: 500, role: 'viewer', need: 'officer', detail: 'd', held: 3, limit: 60 }
				})
			).json()) as {
				title: string;
				status: number;
			};
			expect(body.status, code).toBe(ERRORS[code].status);
			expect(body.title, code).not.toMatch(/ \/ |[\u4e00-\u9fff]|\{\{/);
		}
	});

	it('answers anything unexpected with a generic 500', async () => {
		const spy = console.error;
		console.error = () => undefined;
		const r = await respond(() => Promise.reject(new Error('secret detail')));
		console.error = spy;
		expect(r.status).toBe(500);
		expect(await r.json()).toMatchObject({ code: 'internal', title: 'Internal error, please retry later' });
	});
});
