/**
 * Issue 14, "a traveller's day", end to end in Chromium with three processes on loopback (federation-fixture.ts:
 * a national gateway and regions A = 440300 and B = 110105, onboarded by the ceremony, every job on a 1 s schedule):
 *
 * 1. a resident of B signs in to B's app, declares, and gets B's green code (live on the phone, and a paper copy);
 * 2. A's scanner at one of A's venues has refreshed the national bundle (B's key list and status list mirrored by
 *    A), goes OFFLINE, and verifies B's codes: valid; the venue logs both scans, synced once back online;
 * 3. the gateway is stopped; A's health source records a positive test about the traveller: the fact waits in
 *    A's outbox (B's app still green); the gateway restarts; the fact arrives once and the traveller is red in B's
 *    app, with the reason naming region A;
 * 4. B's revocation travels B → gateway → A's mirror; A's scanner refreshes once and, offline, refuses the old
 *    green paper code as revoked.
 *
 * No sleeps: every wait is on a state (expect.poll / toBeVisible) the schedule brings about.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { bundleHolds, federation, queryDb, type Federation } from './federation-fixture.js';
import { decodeQr, pickRegion, signInUi } from './resident-helpers.js';
import { cli, enrol } from './scanner/codes.js';
import { dismiss, enrolPage, pendingCount, wedgeScan } from './scanner/page.js';

const A = '440300';
const B = '110105';
const ID = '11010519491231002X';
const NAME = '赵敏';
const PHONE = '13900139000';

let fed: Federation;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	// this spec's port range 4431–4439
	fed = await federation({ regions: [A, B], ports: [4431, 4439], intervalMs: 1000 });
	await fed.start();
});

test.afterAll(() => fed?.stop());

async function axe(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A data source of `region` (a server, not a browser: a bearer key, no Origin) pushes records. */
async function push(region: string, kind: string, path: string, records: unknown[]): Promise<void> {
	const p = fed.regions[region]!;
	const key = cli(p.dataDir, 'source', 'add', kind);
	const res = await fetch(`${p.url}/api/v1/sources/${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ records })
	});
	expect(res.status, await res.text()).toBe(200);
}

interface OutboxRow {
	state: string;
	attempts: number;
	last_error: string | null;
}

test('a traveller’s day: B’s code verified offline in A, a scan logged in A, a positive test in A turns them red in B, A refuses the old code', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const a = fed.regions[A]!;
	const b = fed.regions[B]!;
	const phoneContext = await browser.newContext();
	const scannerContext = await browser.newContext();
	const phone = await phoneContext.newPage();
	const scanner = await scannerContext.newPage();
	try {
		let live = '';
		let paper = '';
		await test.step('B knows its resident; they sign in to B’s app, declare, and get B’s green code', async () => {
			await push(B, 'public-security', 'public-security/register', [{ idNumber: ID, name: NAME, region: B }]);
			await push(B, 'carrier', 'carrier/phones', [{ phone: PHONE, idNumber: ID }]);
			await signInUi(phone, b.url, PHONE);
			await expect(phone).toHaveURL(/\/app\/declare$/);
			await phone.getByLabel('姓名').fill(NAME);
			await phone.getByLabel('证件号码').fill(ID);
			await phone.getByLabel('手机号码').fill(PHONE);
			await pickRegion(phone, B);
			await phone.getByLabel('详细地址').fill('朝阳区 1 号');
			await phone.getByLabel('今日体温（°C）').fill('36.6');
			await phone.getByLabel('以上均无').check();
			await phone.getByRole('button', { name: '提交申报' }).click();
			await expect(phone).toHaveURL(/\/app$/);
			await expect(phone.getByTestId('live-qr')).toHaveAttribute('aria-label', /^健康码二维码，绿码，赵\*/);
			await phone.goto(`${b.url}/app/paper`);
			await phone.getByRole('button', { name: '生成纸质码' }).click();
			paper = await decodeQr(phone, phone.getByTestId('paper').getByRole('img', { name: /^纸质健康码二维码/ }));
			await phone.goto(`${b.url}/app`);
			await expect(phone.getByTestId('live-qr')).toHaveAttribute('aria-label', /绿码/);
		});

		await test.step('A’s scanner, at A’s venue, holds the national bundle with B’s lists', async () => {
			// B's key list and status list reach A's mirror through the gateway (publish and mirror jobs)
			await expect.poll(async () => (await bundleHolds(a.url, B)).keys, { timeout: 60_000 }).toBe(2);
			await expect.poll(async () => (await bundleHolds(a.url, B)).status, { timeout: 60_000 }).toBeGreaterThan(0);
			const { code } = enrol(a.dataDir, 'demo-library');
			await enrolPage(scanner, a.url, code);
			await expect(scanner.getByTestId('region-ages').locator(`tr[data-region="${B}"]`)).toHaveAttribute('data-seq', /^[1-9]\d*$/);
		});

		await test.step('offline, A’s scanner verifies B’s codes (valid) and logs both scans; back online, they sync once', async () => {
			await scannerContext.setOffline(true);
			live = await decodeQr(phone, phone.getByTestId('live-qr'));
			expect(await wedgeScan(scanner, live)).toMatchObject({ verdict: 'valid' });
			await dismiss(scanner);
			expect(await wedgeScan(scanner, paper)).toMatchObject({ verdict: 'valid' });
			await dismiss(scanner);
			await expect.poll(() => pendingCount(scanner)).toBe(2);
			await scannerContext.setOffline(false);
			await expect.poll(() => pendingCount(scanner), { timeout: 30_000 }).toBe(0);
			const logged = queryDb<{ verdict: string; venue_id: string }>(a.dataDir, 'SELECT verdict, venue_id FROM scan_events ORDER BY seq');
			expect(logged).toEqual([
				{ verdict: 'valid', venue_id: 'demo-library' },
				{ verdict: 'valid', venue_id: 'demo-library' }
			]);
		});

		await test.step('the gateway stops; a positive test recorded in A waits in A’s outbox; B still shows green', async () => {
			// B has registered its resident for routing before the gateway goes (otherwise the fact is unroutable)
			await expect
				.poll(() => queryDb<{ n: number }>(b.dataDir, 'SELECT count(*) AS n FROM fed_residents WHERE registered_at IS NOT NULL')[0]!.n, {
					timeout: 30_000
				})
				.toBe(1);
			await fed.gateway.stop();
			await push(A, 'health', 'health/tests', [
				{ idNumber: ID, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), result: 'positive' }
			]);
			// pending, its last try failed with the gateway unreachable
			await expect
				.poll(
					() =>
						queryDb<OutboxRow>(a.dataDir, 'SELECT state, attempts, last_error FROM fed_outbox').map((r) => ({
							state: r.state,
							tried: r.attempts > 0 && /^unavailable/.test(r.last_error ?? '')
						})),
					{ timeout: 30_000 }
				)
				.toEqual([{ state: 'pending', tried: true }]);
			await phone.reload();
			await expect(phone.getByTestId('live-qr')).toHaveAttribute('aria-label', /绿码/);
		});

		await test.step('the gateway restarts: the fact arrives once, and B’s app shows red with the reason naming region A', async () => {
			await fed.gateway.start();
			await expect
				.poll(
					async () => {
						await phone.reload();
						return phone.getByTestId('live-qr').getAttribute('aria-label');
					},
					{ timeout: 60_000 }
				)
				.toMatch(/红码/);
			await expect(phone.locator('[data-reason="positive-test"]').getByTestId('source-regions')).toHaveText(`深圳市 (${A})`);
			await axe(phone);
			expect(queryDb(a.dataDir, 'SELECT state FROM fed_outbox')).toEqual([{ state: 'sent' }]);
			expect(queryDb(b.dataDir, 'SELECT source_region, kind, outcome FROM fed_inbox')).toEqual([
				{ source_region: A, kind: 'test-result', outcome: 'applied' }
			]);
		});

		await test.step('B’s revocation reaches A’s mirror; A’s scanner refreshes once and, offline, refuses the old green code', async () => {
			const held = Number(await scanner.getByTestId('region-ages').locator(`tr[data-region="${B}"]`).getAttribute('data-seq'));
			await expect.poll(async () => (await bundleHolds(a.url, B)).status, { timeout: 60_000 }).toBeGreaterThan(held);
			await scanner.getByRole('button', { name: /立即更新|Update now/ }).click();
			await expect
				.poll(async () => Number(await scanner.getByTestId('region-ages').locator(`tr[data-region="${B}"]`).getAttribute('data-seq')), {
					timeout: 30_000
				})
				.toBeGreaterThan(held);
			await scannerContext.setOffline(true);
			expect(await wedgeScan(scanner, paper)).toMatchObject({ verdict: 'invalid', reason: 'revoked' });
			await dismiss(scanner);
			await scannerContext.setOffline(false);
		});
	} finally {
		await phoneContext.close();
		await scannerContext.close();
	}
});
