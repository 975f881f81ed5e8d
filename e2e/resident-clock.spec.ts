/**
 * Trusted time on the resident's phone: the app keeps the newest time the server has vouched for (its Date on a
 * successful /me/codes answer, the codes' signed iat) in IndexedDB, only ever raised, and judges "valid until" /
 * "expired" by the later of the phone's clock and that floor. A phone clock set back says so on the page
 * (bilingual) and does not bring back a code the floor says has expired. A phone whose clock is simply wrong
 * (issue 18: 10 minutes slow, 2 days fast) is corrected by the server's time measured at the sync: its code shows,
 * and a scanner accepts its live proof.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { coreVerify, decodeQr, pickRegion, ROOT, signInUi, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 12;
const DATA_DIR = join(ROOT, 'test-results', `resident-clock-data-${PORT}`);
const PHONE = '13800138000';
const MINUTE = 60_000;
const HOUR = 3_600_000;
let server: Server;

test.describe.configure({ mode: 'serial', timeout: 150_000 });
test.beforeAll(async () => {
	server = await startServer(PORT, DATA_DIR, { fresh: true });
});
test.afterAll(async () => {
	await server.stop();
});

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('wrong phone clocks show a code a scanner accepts; a clock set back is told so, and cannot show a code past what the server has vouched for', async ({
	browser
}) => {
	// No service worker: the test rewrites the server's Date on the /me/codes answer the page itself fetches.
	const context = await browser.newContext({ baseURL: server.origin, serviceWorkers: 'block' });
	const page = await context.newPage();
	await signInUi(page, server.origin, PHONE);
	await expect(page).toHaveURL(/\/app\/declare$/);
	await page.getByLabel('姓名').fill('张伟');
	await page.getByLabel('证件号码').fill('440305199003071236');
	await page.getByLabel('手机号码').fill(PHONE);
	await pickRegion(page, '440305');
	await page.getByLabel('详细地址').fill('科技园 1 栋');
	await page.getByLabel('今日体温（°C）').fill('36.6');
	await page.getByLabel('以上均无').check();
	await page.getByRole('button', { name: '提交申报' }).click();
	await expect(page).toHaveURL(/\/app$/);
	await expect(page.locator('[data-state="valid"]')).toBeVisible();
	await expect(page.getByTestId('clock-wrong')).toHaveCount(0);
	const validUntil = await page.getByTestId('valid-until').textContent();

	// 1. Phones with wrong clocks: 10 minutes slow, 2 days fast, 2 days slow. The codes (issued now) would read
	//    "not yet valid", "expired", or show a live proof 20 steps off that every scanner refuses; the app measures
	//    the server's time at its sync and shows and renews the code on it, and says the clock is wrong, by how much.
	for (const [skew, kind, amount] of [
		[-10 * MINUTE, 'slow', '10 分钟'],
		[48 * HOUR, 'fast', '2 天'],
		[-48 * HOUR, 'slow', '2 天']
	] as const) {
		const wrong = await context.newPage();
		await wrong.clock.install({ time: Date.now() + skew });
		await wrong.goto('/app');
		const note = wrong.getByTestId('clock-wrong');
		await expect(note).toHaveAttribute('data-kind', kind);
		await expect(note).toContainText(`手机时间比服务器${kind === 'slow' ? '慢' : '快'}约 ${amount}`);
		await expect(wrong.locator('[data-state="valid"]')).toBeVisible();
		await expect(wrong.getByTestId('valid-until')).toHaveText(validUntil!);
		// the live proof is for the server's 30 s step: what a scanner with a right clock checks, now
		const qr = wrong.getByTestId('live-qr');
		await expect
			.poll(async () => Math.abs(Number(await qr.getAttribute('data-step')) - Math.floor(Date.now() / 30_000)))
			.toBeLessThanOrEqual(1);
		const text = await decodeQr(wrong, qr);
		expect(await coreVerify(server.origin, text, Date.now()), `clock ${skew} ms`).toMatchObject({ verdict: 'valid' });
		await wrong.clock.resume();
		if (skew === 48 * HOUR) await axe(wrong);
		await wrong.close();
	}

	// 2. The server vouches for a time past both codes (as if the phone's clock stopped while days went by): the
	//    codes read expired even though the phone's clock is still inside their validity.
	const later = new Date(Date.now() + 72 * HOUR).toUTCString();
	await page.route('**/api/v1/me/codes', async (route) => {
		const response = await route.fetch();
		await route.fulfill({ response, headers: { ...response.headers(), date: later } });
	});
	await page.reload();
	await expect(page.locator('[data-state="expired"]')).toContainText('健康码已过期');
	await expect(page.getByTestId('clock-wrong')).toBeVisible();
	await expect(page.getByTestId('live-qr')).toHaveCount(0);

	// 3. The floor only rises: the server's real Date again, and still expired, still the note (IndexedDB).
	await page.unroute('**/api/v1/me/codes');
	await page.reload();
	await expect(page.locator('[data-state="expired"]')).toBeVisible();
	await expect(page.getByTestId('clock-wrong')).toBeVisible();

	// English
	await page.evaluate(() => localStorage.setItem('tx-locale', 'en'));
	await page.reload();
	await expect(page.getByTestId('clock-wrong')).toHaveAttribute('data-kind', 'set-back');
	await expect(page.getByTestId('clock-wrong')).toContainText("This phone's clock seems wrong");
	await context.close();
});
