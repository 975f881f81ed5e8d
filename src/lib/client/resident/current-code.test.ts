import { describe, expect, it } from 'vitest';
import { codeDisplay } from './current-code';
import type { StoredCode, StoredPerson } from './db';

const code = (codeId: string, iat: number, exp: number, colour: StoredCode['colour'] = 'green'): StoredCode => ({
	codeId,
	credential: 'x',
	colour,
	reasons: [],
	kind: 'phone',
	iat,
	exp
});
const person = (codes: StoredCode[]): StoredPerson => ({
	personId: 'p',
	relation: 'self',
	maskedName: '张*',
	codes,
	declaration: null,
	order: 0
});

describe('codeDisplay', () => {
	it('says there is no code rather than inventing one', () => {
		expect(codeDisplay(undefined, 0)).toEqual({ state: 'none' });
		expect(codeDisplay(person([]), 0)).toEqual({ state: 'none' });
	});
	it('shows the newest valid code with its own validity, and the pre-issued next one it switches to', () => {
		const p = person([code('a', 0, 100), code('b', 90, 190)]);
		expect(codeDisplay(p, 50)).toMatchObject({ state: 'valid', code: { codeId: 'a' }, validUntil: 100, next: { iat: 90, exp: 190 } });
		expect(codeDisplay(p, 95)).toMatchObject({ state: 'valid', code: { codeId: 'b' }, validUntil: 190, next: null });
	});
	it('is expired, never a default colour, past every code', () => {
		expect(codeDisplay(person([code('a', 0, 100), code('b', 90, 190)]), 190)).toEqual({ state: 'expired', expiredAt: 190 });
	});
	it('a clock behind the issuer: not yet valid', () => {
		expect(codeDisplay(person([code('a', 100, 200)]), 50)).toEqual({ state: 'not-yet', validFrom: 100 });
	});
});
