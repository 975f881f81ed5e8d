import { describe, expect, it } from 'vitest';
import { servedByRole } from './gateway-role.js';

describe('servedByRole', () => {
	it('a gateway answers its routes and health only; a region never answers gateway routes', () => {
		expect(servedByRole('gateway', '/api/v1/gateway/trust')).toBe(true);
		expect(servedByRole('gateway', '/api/v1/health')).toBe(true);
		for (const p of ['/api/v1/me/codes', '/scan', '/', '/.well-known/tongxing/trust-list', '/api/v1/status/440300'])
			expect(servedByRole('gateway', p)).toBe(false);
		expect(servedByRole('region', '/api/v1/gateway/keys/440300')).toBe(false);
		expect(servedByRole('region', '/api/v1/me/codes')).toBe(true);
		expect(servedByRole('region', '/.well-known/tongxing/trust-bundle')).toBe(true);
	});
});
