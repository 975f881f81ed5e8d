import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isHttps, securityHeaders } from './security-headers.js';

const req = (over: { encrypted?: boolean; headers?: Record<string, string> } = {}) =>
	({ socket: { encrypted: over.encrypted }, headers: over.headers ?? {} }) as unknown as IncomingMessage;

describe('securityHeaders', () => {
	it('locks API answers down completely and keeps pages out of frames', () => {
		const api = new Map(securityHeaders({ path: '/api/v1/me/codes', https: false }));
		expect(api.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
		const page = new Map(securityHeaders({ path: '/app', https: false }));
		expect(page.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(page.get('x-content-type-options')).toBe('nosniff');
		expect(page.has('strict-transport-security')).toBe(false);
	});

	it('sends HSTS only over https', () => {
		expect(new Map(securityHeaders({ path: '/', https: true })).get('strict-transport-security')).toMatch(/^max-age=31536000/);
	});
});

describe('isHttps', () => {
	it('believes TLS, an https ORIGIN, or the configured protocol header — and nothing else', () => {
		expect(isHttps(req({ encrypted: true }), {})).toBe(true);
		expect(isHttps(req(), { ORIGIN: 'https://code.example.cn' })).toBe(true);
		expect(isHttps(req({ headers: { 'x-forwarded-proto': 'https' } }), { PROTOCOL_HEADER: 'X-Forwarded-Proto' })).toBe(true);
		// without PROTOCOL_HEADER a client-sent header decides nothing
		expect(isHttps(req({ headers: { 'x-forwarded-proto': 'https' } }), {})).toBe(false);
		expect(isHttps(req(), { ORIGIN: 'http://127.0.0.1:3000' })).toBe(false);
	});
});
