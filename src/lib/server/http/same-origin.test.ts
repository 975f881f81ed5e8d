import { describe, expect, it } from 'vitest';
import { isCrossSiteMutation } from './same-origin.js';

const post = (headers: Record<string, string>) =>
	new Request('https://code.example.cn/api/v1/declarations', { method: 'POST', headers: { cookie: 'tx=1', ...headers } });

describe('isCrossSiteMutation', () => {
	it('trusts Fetch Metadata first', () => {
		expect(isCrossSiteMutation(post({ 'sec-fetch-site': 'same-origin' }), {})).toBe(false);
		expect(isCrossSiteMutation(post({ 'sec-fetch-site': 'cross-site' }), {})).toBe(true);
	});

	it('without it, compares the Origin host, and its scheme when ORIGIN is configured', () => {
		const env = { ORIGIN: 'https://code.example.cn' };
		expect(isCrossSiteMutation(post({ origin: 'https://code.example.cn', host: 'code.example.cn' }), env)).toBe(false);
		expect(isCrossSiteMutation(post({ origin: 'http://code.example.cn', host: 'code.example.cn' }), env)).toBe(true);
		expect(isCrossSiteMutation(post({ origin: 'http://code.example.cn', host: 'code.example.cn' }), {})).toBe(false);
		expect(isCrossSiteMutation(post({ origin: 'https://evil.example', host: 'code.example.cn' }), env)).toBe(true);
		expect(isCrossSiteMutation(post({ host: 'code.example.cn' }), env)).toBe(true);
	});

	it('leaves requests without a cookie and safe methods alone', () => {
		expect(isCrossSiteMutation(new Request('https://x/api', { method: 'POST', headers: { origin: 'https://evil' } }), {})).toBe(false);
		expect(isCrossSiteMutation(new Request('https://x/api', { headers: { cookie: 'a=1', origin: 'https://evil' } }), {})).toBe(false);
	});
});
