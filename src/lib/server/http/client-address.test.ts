import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from './client-address.js';

describe('clientAddress', () => {
	const none = trustedProxies({});
	const proxies = trustedProxies({ TONGXING_TRUSTED_PROXIES: '10.0.0.2, 10.0.0.3' });

	it('is the socket peer unless the peer is a trusted proxy', () => {
		expect(clientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
		expect(clientAddress('::ffff:203.0.113.9', null, none)).toBe('203.0.113.9');
		// a client that writes the header itself changes nothing
		expect(clientAddress('203.0.113.9', '1.2.3.4', proxies)).toBe('203.0.113.9');
	});

	it('behind trusted proxies: the rightmost address that is not one of them', () => {
		expect(clientAddress('10.0.0.2', '198.51.100.7', proxies)).toBe('198.51.100.7');
		// the client prepended a fake entry; the proxies appended the real one
		expect(clientAddress('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.3', proxies)).toBe('198.51.100.7');
		expect(clientAddress('::ffff:10.0.0.2', '10.0.0.3', proxies)).toBe('10.0.0.3');
		expect(clientAddress('10.0.0.2', null, proxies)).toBe('10.0.0.2');
	});
});
