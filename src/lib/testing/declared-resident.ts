/**
 * For service tests: a resident signed in on a device (account + device key) who declared a healthy day — the
 * starting point of most recolour, import and proposal tests.
 */
import { toBase64Url } from '../core/bytes.js';
import { accountForPhone } from '../server/issuer/accounts.js';
import { submitDeclaration } from '../server/issuer/declare.js';
import { setDeviceKey } from '../server/store/accounts.js';
import type { IssuerFixture } from './issuer-fixture.js';

export interface TestResident {
	name: string;
	id: string;
	phone: string;
	region: string;
}

/** Returns the account id. */
export async function declaredResident(f: IssuerFixture, p: TestResident, device: { publicKey: Uint8Array }): Promise<string> {
	const id = await accountForPhone(f.deps, p.phone, f.clock.now);
	await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
	await submitDeclaration(
		f.deps,
		{ id },
		{
			name: p.name,
			idNumber: p.id,
			phone: p.phone,
			region: p.region,
			addressDetail: '1 号',
			temperature: 36.5,
			symptoms: ['none'],
			travel: []
		}
	);
	return id;
}
