/**
 * Issue 14 across processes: a national gateway and two regions (440300 and 110100), each `node build` with its
 * own DATA_DIR, onboarded by the ceremony (scripts/federation.ts onboard), publishing and mirroring every second.
 * In Chromium, region A's scanner refreshes one bundle from its own region server, shows both regions' list ages,
 * then — offline — verifies a code issued by region B; B revokes it, A's scanner refreshes once and, offline
 * again, refuses it; the gateway is stopped and restarted mid-way and nothing is lost.
 *
 * Region A runs as a child here too (not the default webServer): making the shared e2e data directory federated
 * would change what every other spec's scanner downloads.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { toBase64Url } from '../src/lib/core/bytes.js';
import type { CodeClaims } from '../src/lib/core/claims.js';
import { codeText } from '../src/lib/core/code-text.js';
import { issueCredential } from '../src/lib/core/credential.js';
import { KeyStore, signerFor } from '../src/lib/server/keys/keystore.js';
import { bundleHolds, federation, type Federation } from './federation-fixture.js';
import { cli, enrol } from './scanner/codes.js';
import { dismiss, enrolPage, wedgeScan } from './scanner/page.js';

let fed: Federation;
const PORTS = { gateway: 0, a: 0, b: 0 };
const url = (port: number) => `http://127.0.0.1:${port}`;

/** What region A's mirror holds of region B. */
const mirrorOfB = () => bundleHolds(url(PORTS.a), '110100');

/** A paper code signed by region B's issuer key, as B's issuer signs it. */
async function issueInB(): Promise<{ qr: string; codeId: string }> {
	const iat = Math.floor(Date.now() / 1000);
	const stored = new KeyStore(fed.layout.regionDirs['110100']!).activeIssuer('110100', iat)!;
	const claims: CodeClaims = {
		iss: '110100',
		iat,
		exp: iat + 3600,
		codeId: toBase64Url(randomBytes(12)),
		colour: 'green',
		maskedName: '王*',
		idSuffix: '0021',
		kind: 'paper',
		reasons: []
	};
	return { qr: codeText(await issueCredential(claims, signerFor(stored))), codeId: claims.codeId };
}

test.beforeAll(async () => {
	test.setTimeout(180_000);
	// this spec's port range 4411–4419
	fed = await federation({ regions: ['440300', '110100'], ports: [4411, 4419] });
	await fed.start();
	Object.assign(PORTS, { gateway: fed.gateway.port, a: fed.regions['440300']!.port, b: fed.regions['110100']!.port });
});

test.afterAll(() => fed.stop());

test('a code of region B verified offline by region A scanner; B revokes it, A refuses it after one refresh; the gateway restarts mid-way', async ({
	context,
	page
}) => {
	test.setTimeout(180_000);
	await test.step('roles: the gateway answers only gateway routes, a region never answers them', async () => {
		expect((await fetch(`${url(PORTS.gateway)}/api/v1/me/codes`)).status).toBe(404);
		expect((await fetch(`${url(PORTS.gateway)}/.well-known/tongxing/trust-list`)).status).toBe(404);
		expect((await fetch(`${url(PORTS.a)}/api/v1/gateway/trust`)).status).toBe(404);
		const forged = await fetch(`${url(PORTS.gateway)}/api/v1/gateway/keys/440300`, {
			method: 'POST',
			headers: { 'content-type': 'application/cose' },
			body: new Uint8Array([0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40])
		});
		expect([forged.status, ((await forged.json()) as { code: string }).code]).toEqual([400, 'gateway/bad-document']);
	});

	await expect.poll(async () => (await mirrorOfB()).keys, { timeout: 60_000 }).toBe(2); // A's and B's key lists
	const { code } = enrol(fed.layout.regionDirs['440300']!, 'demo-library');
	await enrolPage(page, url(PORTS.a), code);
	const ages = page.getByTestId('region-ages');
	await expect(ages.locator('tr[data-region="110100"]')).toBeVisible();
	await expect(ages.locator('tr[data-region="440300"]')).toBeVisible();
	expect((await new AxeBuilder({ page }).include('[data-testid="region-ages"]').analyze()).violations).toEqual([]);

	const b = await issueInB();
	await test.step('offline: B’s code is valid on A’s scanner (chain root → 110100 certificate → 110100 key list)', async () => {
		await context.setOffline(true);
		expect(await wedgeScan(page, b.qr)).toMatchObject({ verdict: 'valid' });
		await dismiss(page);
		await context.setOffline(false);
	});

	await test.step('the gateway stops; B revokes the code; the gateway comes back; A’s scanner refuses it after one refresh', async () => {
		const before = (await (await fetch(`${url(PORTS.gateway)}/api/v1/gateway/regions/110100`)).json()) as { statusSeq: number };
		await fed.gateway.stop();
		expect(cli(fed.layout.regionDirs['110100']!, 'status-list', 'publish', '--region', '110100', '--revoke', b.codeId)).toMatch(/./);
		await fed.gateway.start();
		// B's publish job uploads what the gateway lacks, A's mirror job takes it: exactly the new seq, nothing lost
		await expect
			.poll(
				async () =>
					((await (await fetch(`${url(PORTS.gateway)}/api/v1/gateway/regions/110100`)).json()) as { statusSeq: number }).statusSeq,
				{
					timeout: 60_000
				}
			)
			.toBeGreaterThan(before.statusSeq);
		await expect.poll(async () => (await mirrorOfB()).status, { timeout: 60_000 }).toBeGreaterThan(before.statusSeq);
		await page.getByRole('button', { name: /立即更新|Update now/ }).click();
		await expect(ages.locator('tr[data-region="110100"]')).toHaveAttribute('data-seq', /\d+/);
		await expect
			.poll(async () => Number(await ages.locator('tr[data-region="110100"]').getAttribute('data-seq')), { timeout: 30_000 })
			.toBeGreaterThan(before.statusSeq);
		await context.setOffline(true);
		expect(await wedgeScan(page, b.qr)).toMatchObject({ verdict: 'invalid', reason: 'revoked' });
		await context.setOffline(false);
	});
});
