import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { healthReport } from './health.js';
import { trustListPath } from './keys/published.js';

let fx: IssuerFixture;
afterEach(() => fx.close());

describe('healthReport', () => {
	it('is ok with a database, an active key and published lists, and names the SMS sender', async () => {
		fx = await issuerFixture();
		const r = await healthReport(fx.deps);
		expect(r).toMatchObject({ ok: true, database: { ok: true }, keys: { ok: true, region: '440300' }, lists: { ok: true } });
		expect(r.keys.activeIssuerKid).toMatch(/^[0-9a-f]{16}$/);
		expect(r.sms).toEqual({ sender: 'test-recorder', production: true });
	});

	it('says what is down: no key for the time, no trust list, no database', async () => {
		fx = await issuerFixture();
		fx.clock.now += 400 * 86_400_000; // past every key's window
		rmSync(trustListPath(fx.deps.dataDir));
		const r1 = await healthReport(fx.deps);
		expect(r1).toMatchObject({ ok: false, keys: { ok: false, activeIssuerKid: null }, lists: { ok: false, trustListPublishedAt: null } });
		await fx.deps.db.destroy();
		const r2 = await healthReport(fx.deps);
		expect(r2.database.ok).toBe(false);
		expect(r2.database.error).toBeTruthy();
	});
});
