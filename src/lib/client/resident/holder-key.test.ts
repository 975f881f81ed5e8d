import { describe, expect, it } from 'vitest';
import { toBase64Url } from '$lib/core/bytes';
import { parseCodeText } from '$lib/core/code-text';
import { holderKeyOf } from './holder-key';
import green from '../../../../test-vectors/valid-green.json';
import paper from '../../../../test-vectors/valid-paper.json';

const credentialOf = (qr: string) => {
	const parsed = parseCodeText(qr);
	if (!('credential' in parsed)) throw new Error('vector does not parse');
	return toBase64Url(parsed.credential);
};

describe('holderKeyOf', () => {
	it('reads the device key a phone credential is bound to', () => {
		expect(holderKeyOf(credentialOf(green.qr))).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});
	it('paper codes carry none; garbage reads as none', () => {
		expect(holderKeyOf(credentialOf(paper.qr))).toBeUndefined();
		expect(holderKeyOf('!!')).toBeUndefined();
		expect(holderKeyOf('AAAA')).toBeUndefined();
	});
});
