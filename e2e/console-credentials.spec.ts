/**
 * Credentials have a lifecycle, from the console (/console/credentials): a staff member revokes an enrolled guard
 * device after a confirm step, and the scanner itself then says its uploads are refused (device/revoked); revokes a
 * data-source key, and a push with it is refused (source/revoked). Who revoked is shown; bilingual; axe 0.
 * Against the shared production build (E2E_PORT); staff account, enrolment and source key come from the CLI.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { errors } from '../src/lib/i18n/locales/errors.js';
import { scanner } from '../src/lib/i18n/locales/scanner.js';
import { cli, enrol, issue, ROOT } from './scanner/codes.js';
import { dismiss, enrolPage, wedgeScan } from './scanner/page.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const PASSWORD = 'correct horse battery staple';

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** An admin account (revoking needs admin), as an operator adds one (`tongxing staff add NAME --role admin --password-stdin`). */
function addStaff(username: string): void {
	execFileSync(process.execPath, [join(ROOT, 'bin', 'tongxing.js'), 'staff', 'add', username, '--role', 'admin', '--password-stdin'], {
		env: { ...process.env, DATA_DIR },
		input: `${PASSWORD}\n`,
		cwd: ROOT
	});
}

const sourceKeyIds = () =>
	cli(DATA_DIR, 'source', 'list')
		.split('\n')
		.filter(Boolean)
		.map((l) => l.split(/\s+/)[0]!);

async function signIn(page: Page, username: string): Promise<void> {
	await page.goto(`${ORIGIN}/console/signin`);
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByText(`已登录：${username}`)).toBeVisible();
}

test.describe.configure({ mode: 'serial', timeout: 90_000 });

test('revoking a guard device from the console: confirm step, shown as revoked by whom, and the scanner says so', async ({ browser }) => {
	const username = `cred.staff${Date.now() % 100000}`;
	addStaff(username);
	const { code, deviceId } = enrol(DATA_DIR, 'demo-library');
	const paper = await issue(DATA_DIR, { kind: 'paper' });

	// the guard's phone, enrolled and working
	const guardContext = await browser.newContext();
	const guard = await guardContext.newPage();
	await enrolPage(guard, ORIGIN, code);

	const staffContext = await browser.newContext();
	const page = await staffContext.newPage();
	await signIn(page, username);
	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '设备与密钥' }).click();
	await expect(page.getByRole('heading', { name: '扫码设备与数据源密钥', level: 1 })).toBeVisible();
	const row = page.locator(`tr[data-device="${deviceId}"]`);
	await expect(row.locator('[data-status]')).toHaveText('✓ 有效');
	await expect(row).toContainText('从未上传');
	await axe(page);

	// the confirm step: cancelling changes nothing and gives focus back
	const revokeButton = page.getByRole('button', { name: `吊销“南山图书馆 Nanshan Library”的设备 ${deviceId}` });
	await revokeButton.click();
	const confirm = page.getByRole('region', { name: `吊销“南山图书馆 Nanshan Library”的设备 ${deviceId}` });
	await expect(confirm).toContainText('此操作不可撤销');
	await expect(page.locator('#confirm-heading')).toBeFocused();
	await axe(page);
	await confirm.getByRole('button', { name: '取消' }).click();
	await expect(confirm).toBeHidden();
	await expect(revokeButton).toBeFocused();
	await expect(row.locator('[data-status]')).toHaveText('✓ 有效');

	await revokeButton.click();
	await confirm.getByRole('button', { name: '确认吊销' }).click();
	await expect(page.getByRole('status').filter({ hasText: `已吊销设备 ${deviceId}。` })).toBeVisible();
	await expect(row.locator('[data-status]')).toHaveText(new RegExp(`^✕ 已吊销（.+，${username}）$`));
	await expect(row.getByRole('button')).toHaveCount(0);
	await axe(page);

	// the scanner: a scan is still recorded on the device, its upload is refused, and the page says why
	expect(await wedgeScan(guard, paper.qr)).toMatchObject({ verdict: 'valid', recorded: 'true' });
	await dismiss(guard);
	await expect(guard.getByTestId('sync-error')).toHaveText(
		scanner['zh-CN']['log.sync-stopped'].replace('{{detail}}', errors['zh-CN']['device/revoked'])
	);
	await guardContext.close();

	// English: the same list, worded in English
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Scanner devices and data-source keys', level: 1 })).toBeVisible();
	await expect(row.locator('[data-status]')).toHaveText(new RegExp(`^✕ Revoked \\(.+, ${username}\\)$`));
	await axe(page);
	await staffContext.close();
});

test('revoking a data-source key from the console: a push with it is then refused with source/revoked', async ({ browser, playwright }) => {
	const username = `cred.keys${Date.now() % 100000}`;
	addStaff(username);
	const before = new Set(sourceKeyIds());
	const apiKey = cli(DATA_DIR, 'source', 'add', 'health');
	const keyId = sourceKeyIds().find((id) => !before.has(id))!;
	expect(keyId).toBeTruthy();

	const api = await playwright.request.newContext({ baseURL: ORIGIN });
	const push = () =>
		api.post('/api/v1/sources/health/tests', {
			headers: { authorization: `Bearer ${apiKey}` },
			data: { records: [{ idNumber: '440305199003071236', sampledAt: '2026-11-28T08:00:00+08:00', result: 'negative' }] }
		});
	expect((await push()).status()).toBe(200);

	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, username);
	await page.goto(`${ORIGIN}/console/credentials`);
	const row = page.locator(`tr[data-key="${keyId}"]`);
	await expect(row.locator('[data-status]')).toHaveText('✓ 有效');
	await page.getByRole('button', { name: `吊销 卫健（health） 的密钥 ${keyId}` }).click();
	await page.getByRole('button', { name: '确认吊销' }).click();
	await expect(row.locator('[data-status]')).toHaveText(new RegExp(`^✕ 已吊销（.+，${username}）$`));
	await axe(page);

	const refused = await push();
	expect(refused.status()).toBe(403);
	expect(((await refused.json()) as { code: string }).code).toBe('source/revoked');
	await context.close();
	await api.dispose();
});
