/**
 * The error table (core/contract/errors.ts) and the `errors` catalogue stay in step: every code has a message in
 * every language, no message is left without a code, and errorMessage renders by code in the chosen language.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '$lib/core/contract/errors';
import { errorMessage } from './error-message';
import { LOCALES, setLocale, t, tIn } from './i18n.svelte';
import { errors } from './locales/errors';

const PLURAL = /_(zero|one|two|few|many|other)$/;

describe('errors catalogue', () => {
	for (const lng of LOCALES) {
		const keys = Object.keys(errors[lng]);
		it(`${lng}: every code in the table has a message`, () => {
			const base = new Set(keys.map((k) => k.replace(PLURAL, '')));
			expect(ERROR_CODES.filter((c) => !base.has(c))).toEqual([]);
		});
		it(`${lng}: no message is orphaned`, () => {
			const codes = new Set<string>(ERROR_CODES);
			expect(keys.filter((k) => !codes.has(k.replace(PLURAL, '')))).toEqual([]);
		});
		it(`${lng}: no message is bilingual`, () => {
			for (const [k, v] of Object.entries(errors[lng])) expect(v, k).not.toContain(' / ');
		});
	}

	it('renders by code with params and plurals, in the current language', () => {
		setLocale('en');
		expect(errorMessage({ status: 409, code: 'member/limit', params: { max: 5 } }, t)).toBe('At most 5 members');
		expect(errorMessage({ status: 422, code: 'import/invalid-rows', params: { count: 1 } }, t)).toBe(
			'1 row has errors; nothing was imported'
		);
		expect(errorMessage({ status: 422, code: 'import/invalid-rows', params: { count: 3 } }, t)).toBe(
			'3 rows have errors; nothing was imported'
		);
		setLocale('zh-CN');
		expect(errorMessage({ status: 422, code: 'import/invalid-rows', params: { count: 3 } }, t)).toBe('共 3 行有误，未导入任何数据');
		expect(errorMessage({ status: 0, code: 'network/unavailable' }, t)).toBe(tIn('zh-CN', 'errors:network/unavailable'));
	});

	it('an unknown code gets the generic message with the status, never the server title', () => {
		setLocale('en');
		const p = { status: 418, code: 'teapot/brewing', title: 'I am a teapot / 我是茶壶' };
		expect(errorMessage(p, t)).toBe('The request failed (HTTP 418), please retry later');
		setLocale('zh-CN');
	});
});
