import { describe, expect, it } from 'vitest';
import { DELETE, validate, withPatch } from './declaration-fixtures.js';

describe('validateDeclaration: a valid declaration', () => {
	it('idType defaults to resident, and other documents follow their own rules', () => {
		expect(validate(withPatch({ idType: DELETE }))).toMatchObject({ ok: true, value: { idType: 'resident' } });
		expect(validate(withPatch({ idType: 'passport', idNumber: 'e1234567' }))).toMatchObject({
			ok: true,
			value: { idType: 'passport', idNumber: 'E1234567' }
		});
		expect(validate(withPatch({ idType: 'hk-macao-permit', idNumber: 'H12345678' })).ok).toBe(true);
	});
});
