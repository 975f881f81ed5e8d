/**
 * readJson refuses a NUL character (U+0000) anywhere in a JSON body, naming the field: PostgreSQL text cannot hold
 * one (the fuzz of every endpoint found two that answered 500 on PostgreSQL), and no field of ours may.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import { readJson } from './read-json.js';

const post = (body: string) =>
	new Request('http://127.0.0.1/api/v1/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const refusal = (body: string) =>
	readJson(post(body)).then(
		() => undefined,
		(e: unknown) => (e instanceof DomainError ? { code: e.code, fields: (e.errors ?? []).map((x) => `${x.field} ${x.code}`) } : e)
	);

describe('readJson and U+0000', () => {
	it('names the field holding it, at any depth, in a value or a key', async () => {
		expect(await refusal(JSON.stringify({ name: '张三\u0000' }))).toEqual({ code: 'request/invalid', fields: ['name text/nul'] });
		expect(await refusal(JSON.stringify({ travel: [{ region: '440300' }, { region: '44\u00000300' }] }))).toEqual({
			code: 'request/invalid',
			fields: ['travel.1.region text/nul']
		});
		expect(await refusal(JSON.stringify({ ['a\u0000']: 1 }))).toEqual({ code: 'request/invalid', fields: ['a\u0000 text/nul'] });
		expect(await refusal(JSON.stringify(['\u0000']))).toEqual({ code: 'request/invalid', fields: ['0 text/nul'] });
	});

	it('passes everything else through unchanged, however deep', async () => {
		const body = { name: '张三', note: 'tab\there, 😷, \\u0000 as six characters', n: [1, null, true, { x: '' }] };
		expect(await readJson(post(JSON.stringify(body)))).toEqual(body);
		const deep = '['.repeat(30_000) + ']'.repeat(30_000);
		expect(await refusal(deep)).toBeUndefined();
	});
});
