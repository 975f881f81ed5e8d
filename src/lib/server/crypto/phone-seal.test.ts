import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPhone, sealPhone } from './phone-seal.js';

const key = new Uint8Array(randomBytes(32));

describe('sealPhone / openPhone', () => {
	it('round-trips, with a fresh nonce each time and no digits in the sealed text', () => {
		const a = sealPhone(key, 'acc-1', '13800138000');
		const b = sealPhone(key, 'acc-1', '13800138000');
		expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
		expect(a).not.toBe(b);
		expect(a).not.toContain('13800138000');
		expect(openPhone(key, 'acc-1', a)).toBe('13800138000');
		expect(openPhone(key, 'acc-1', b)).toBe('13800138000');
	});

	it('does not open under another account id (AAD), another key, or tampered', () => {
		const s = sealPhone(key, 'acc-1', '13800138000');
		expect(openPhone(key, 'acc-2', s)).toBeNull();
		expect(openPhone(new Uint8Array(randomBytes(32)), 'acc-1', s)).toBeNull();
		const [v, n, body] = s.split('.') as [string, string, string];
		const flipped = body.slice(0, 2) + (body[2] === 'A' ? 'B' : 'A') + body.slice(3);
		expect(openPhone(key, 'acc-1', `${v}.${n}.${flipped}`)).toBeNull();
		expect(openPhone(key, 'acc-1', `v2.${n}.${body}`)).toBeNull();
		expect(openPhone(key, 'acc-1', 'garbage')).toBeNull();
	});
});
