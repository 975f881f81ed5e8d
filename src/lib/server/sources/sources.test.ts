import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { accountForPhone } from '../issuer/accounts.js';
import { submitDeclaration } from '../issuer/declare.js';
import { addStaff, staffSignIn } from '../staff/staff.js';
import { addSourceKey, pushHouseholdRegister, pushPhoneRegistry, sourceForKey } from './sources.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const code = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

describe('data-source pushes', () => {
	it('a pushed register entry and phone registration let a new resident declare', async () => {
		const key = await addSourceKey(f.deps.db, f.deps.hmacKey, 'public-security', f.clock.now);
		expect(await sourceForKey(f.deps.db, f.deps.hmacKey, key)).toBe('public-security');
		expect(await sourceForKey(f.deps.db, f.deps.hmacKey, key + 'x')).toBeNull();
		expect(
			await pushHouseholdRegister(f.deps, {
				records: [{ idNumber: '11010519491231002X', name: '赵敏', region: '110105', household: 'H1' }]
			})
		).toEqual({ upserted: 1 });
		expect(await pushPhoneRegistry(f.deps, { records: [{ phone: '+86 135 0000 0001', idNumber: '11010519491231002x' }] })).toEqual({
			upserted: 1
		});
		const id = await accountForPhone(f.deps, '13500000001', f.clock.now);
		const out = await submitDeclaration(
			f.deps,
			{ id },
			{
				name: '赵敏',
				idNumber: '11010519491231002X',
				phone: '13500000001',
				region: '110105',
				addressDetail: '1 号',
				temperature: 36.5,
				symptoms: ['none'],
				travel: []
			}
		);
		expect(out).toMatchObject({ status: 'verified', colour: 'green' });
	});

	it('is all or nothing: one bad record → 422 naming it, nothing written', async () => {
		const before = (await f.deps.db.selectFrom('household_register').selectAll().execute()).length;
		const e = await pushHouseholdRegister(f.deps, {
			records: [
				{ idNumber: '11010519491231002X', name: '赵敏', region: '110105' },
				{ idNumber: '110105194912310021', name: '', region: '999999' }
			]
		}).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DomainError);
		expect((e as DomainError).errors!.map((x) => x.field)).toEqual(['records.1.idNumber', 'records.1.name', 'records.1.region']);
		expect((await f.deps.db.selectFrom('household_register').selectAll().execute()).length).toBe(before);
		expect(await code(pushPhoneRegistry(f.deps, { rows: [] }))).toBe('source/shape');
	});
});

describe('staff', () => {
	it('signs in with the right password only; unknown user and wrong password look the same; rate-limited', async () => {
		await addStaff(f.deps.db, 'wang.ops', 'correct horse battery', f.clock.now);
		expect(
			await staffSignIn(f.deps.db, { username: 'wang.ops', password: 'correct horse battery', clientIp: '1.1.1.1', nowMs: f.clock.now })
		).toBeTypeOf('string');
		expect(
			await code(staffSignIn(f.deps.db, { username: 'wang.ops', password: 'wrong password!', clientIp: '1.1.1.1', nowMs: f.clock.now }))
		).toBe('staff/invalid');
		expect(
			await code(staffSignIn(f.deps.db, { username: 'nobody', password: 'correct horse battery', clientIp: '1.1.1.1', nowMs: f.clock.now }))
		).toBe('staff/invalid');
		// successful sign-ins spend nothing: a shift of officers behind one address signs in all day
		for (let i = 0; i < 15; i++)
			expect(
				await staffSignIn(f.deps.db, { username: 'wang.ops', password: 'correct horse battery', clientIp: '3.3.3.3', nowMs: f.clock.now })
			).toBeTypeOf('string');
		let limited = false;
		for (let i = 0; i < 12 && !limited; i++)
			limited =
				(await code(staffSignIn(f.deps.db, { username: 'wang.ops', password: 'guess ' + i, clientIp: '2.2.2.2', nowMs: f.clock.now }))) ===
				'staff/rate-limited';
		expect(limited).toBe(true);
		await expect(addStaff(f.deps.db, 'x', 'short', f.clock.now)).rejects.toThrow(RangeError);
	}, 30_000);
});
