import { describe, expect, it } from 'vitest';
import { DECLARATION_ERRORS } from './declaration/declaration-errors.js';
import { validate, withPatch } from './declaration/declaration-fixtures.js';
import { problem, PROBLEM_TYPE_BASE, validationProblem, type FieldError } from './problem.js';

describe('problem details', () => {
	it('builds an RFC 9457 object', () => {
		expect(problem(404, 'not-found', 'Not found')).toEqual({
			type: `${PROBLEM_TYPE_BASE}not-found`,
			title: 'Not found',
			status: 404,
			code: 'not-found'
		});
		expect(
			problem(409, 'declaration/duplicate', 'Duplicate', 'already declared today', { instance: '/api/v1/declarations/7', retryAfter: 60 })
		).toEqual({
			type: 'https://tongxing.example/problems/declaration/duplicate',
			title: 'Duplicate',
			status: 409,
			code: 'declaration/duplicate',
			detail: 'already declared today',
			instance: '/api/v1/declarations/7',
			retryAfter: 60
		});
	});

	it('extras cannot replace the standard members', () => {
		expect(problem(400, 'bad-request', 'Bad', undefined, { type: 'x', status: 200, code: 'y', detail: 'z' })).toEqual({
			type: `${PROBLEM_TYPE_BASE}bad-request`,
			title: 'Bad',
			status: 400,
			code: 'bad-request'
		});
	});

	it('carries field errors for a declaration that fails validation', () => {
		const r = validate(withPatch({ phone: '123' }));
		if (r.ok) throw new Error('expected errors');
		const p = validationProblem(r.errors);
		expect(JSON.parse(JSON.stringify(p))).toEqual({
			type: `${PROBLEM_TYPE_BASE}validation-failed`,
			title: p.title,
			status: 422,
			code: 'validation-failed',
			errors: [{ field: 'phone', code: 'phone/format', message: DECLARATION_ERRORS['phone/format'] }] satisfies FieldError[]
		});
	});

	it.each([
		[200, 'ok'],
		[600, 'x'],
		[422.5, 'x'],
		[400, ''],
		[400, 'Upper'],
		[400, 'a b'],
		[400, '../x'],
		[400, 'x/']
	])('refuses status %s with code %j', (status, code) => {
		expect(() => problem(status, code, 'title')).toThrow(RangeError);
	});
});
