import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from './base45.js';
import { fromBase64Url, fromHex, toBase64Url, toHex } from './bytes.js';
import { cborDecode, cborEncode } from './cbor.js';
import { claimProblems, decodeClaims, encodeClaims, type CodeClaims } from './claims.js';
import { colourReasonFromNumber, colourReasonToNumber, COLOUR_REASONS } from './colour-reasons.js';
import { msUntilNextStep, timeStep } from './live-proof.js';
import { idSuffix, maskName } from './mask.js';

describe('base45 (RFC 9285)', () => {
	it('RFC 9285 §4.3 examples', () => {
		expect(base45Encode(new TextEncoder().encode('AB'))).toBe('BB8');
		expect(base45Encode(new TextEncoder().encode('Hello!!'))).toBe('%69 VD92EX0');
		expect(new TextDecoder().decode(base45Decode('QED8WEX0')!)).toBe('ietf!');
	});
	it('round-trips any bytes, including subarrays with an offset', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 5 }), (b, off) => {
				const sub = new Uint8Array([...new Uint8Array(off).fill(7), ...b]).subarray(off);
				expect(base45Decode(base45Encode(sub))).toEqual(b);
			})
		);
	});
	it('rejects what is not base45: lowercase, non-ASCII, bad length, value > 65535', () => {
		for (const bad of ['bb8', 'BB8码', 'B', 'GGX', ':::']) expect(base45Decode(bad)).toBeNull();
	});
});

describe('bytes', () => {
	it('hex and base64url round-trip; base64url is strict', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
				expect(fromHex(toHex(b))).toEqual(b);
				expect(fromBase64Url(toBase64Url(b))).toEqual(b);
			})
		);
		expect(fromBase64Url('AB')).toBeNull(); // non-zero trailing bits
		expect(fromBase64Url('A')).toBeNull();
		expect(fromBase64Url('AA==')).toBeNull();
	});
});

describe('strict CBOR', () => {
	it('rejects non-minimal integers, indefinite lengths, duplicate keys, trailing bytes, undefined, unknown tags', () => {
		for (const hex of ['1801', '9f01ff', 'a201010102', '0101', 'f7', 'c101', 'fb7ff8000000000000']) {
			expect(cborDecode(fromHex(hex)!), hex).toBeNull();
		}
		expect(cborDecode(fromHex('a20101026161')!)).toEqual(
			new Map<unknown, unknown>([
				[1, 1],
				[2, 'a']
			])
		);
	});
	it('encodes deterministically (RFC 8949 §4.2.1 bytewise key order)', () => {
		expect(
			toHex(
				cborEncode(
					new Map<number, number>([
						[-1, 0],
						[10, 0],
						[1, 0]
					])
				)
			)
		).toBe('a301000a002000');
	});
});

const claims: CodeClaims = {
	iss: '440300',
	iat: 1_795_939_200,
	exp: 1_796_025_600,
	codeId: toBase64Url(new Uint8Array(12).fill(1)),
	colour: 'yellow',
	maskedName: '张*丰',
	idSuffix: '123X',
	kind: 'phone',
	holderKey: toBase64Url(new Uint8Array(32).fill(9)),
	reasons: ['fever-declared', 'venue-co-visit'],
	lastNegativeTestAt: 1_795_900_000
};

describe('claims', () => {
	it('round-trip', () => {
		expect(decodeClaims(cborDecode(encodeClaims(claims)))).toEqual(claims);
	});
	it.each([
		['region', { iss: '44030' }],
		['exp before iat', { exp: 1 }],
		['short code id', { codeId: toBase64Url(new Uint8Array(11)) }],
		['unmasked name', { maskedName: '张三丰' }],
		['full ID number', { idSuffix: '44030119900101123X' }],
		['green with reasons', { colour: 'green' as const }],
		['yellow without reasons', { reasons: [] }],
		['paper with a holder key', { kind: 'paper' as const }],
		['proxy without presenter', { kind: 'proxy' as const }],
		['unknown reason', { reasons: ['bogus' as never] }]
	])('refuses to sign: %s', (_n, over) => {
		expect(claimProblems({ ...claims, ...over }).length).toBeGreaterThan(0);
		expect(() => encodeClaims({ ...claims, ...over })).toThrow(RangeError);
	});
	it('reason numbers are stable and unknown numbers still display', () => {
		expect(COLOUR_REASONS['confirmed-case']).toBe(1);
		expect(colourReasonFromNumber(999)).toBe('reason-999');
		expect(colourReasonToNumber('reason-999')).toBe(999);
	});
});

describe('live-proof time steps', () => {
	it('30-second steps', () => {
		expect(timeStep(0)).toBe(0);
		expect(timeStep(29_999)).toBe(0);
		expect(timeStep(30_000)).toBe(1);
		expect(msUntilNextStep(30_000)).toBe(30_000);
		expect(msUntilNextStep(59_000)).toBe(1_000);
	});
});

describe('masking', () => {
	it.each([
		['张三', '张*'],
		['张三丰', '张*丰'],
		['欧阳娜娜', '欧**娜'],
		['Li Wei', 'L****i']
	])('%s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
	it('ID suffix', () => {
		expect(idSuffix('44030119900101123x')).toBe('123X');
		expect(() => idSuffix('12')).toThrow(RangeError);
	});
});
