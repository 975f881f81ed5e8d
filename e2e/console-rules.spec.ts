/**
 * The rules as a form (issue 15), in real Chromium against its own `node build` over a 3 000-resident demo city:
 * the officer changes a parameter in the form (the JSON editor follows), types an out-of-range value and is told
 * its allowed range beside the field and again by the server's preview (zh-CN and en), corrects it, previews,
 * saves a new version. The help the page links to is served by the app. axe 0 in both languages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 42;
const DATA_DIR = join(ROOT, 'test-results', `rules-form-data-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: Server;
let page: Page;
let staff = { username: '', password: '' };

function activeRules(): { version: string; rules: Record<string, Record<string, unknown>> } {
	const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
	try {
		const row = d.prepare('select rules_json from rule_sets where active = 1').get() as { rules_json: string } | undefined;
		return JSON.parse(row?.rules_json ?? '{"version":"","rules":{}}') as ReturnType<typeof activeRules>;
	} finally {
		d.close();
	}
}

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '3000'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	const account = /管理控制台 \(\/console\): username (\S+)\s+password (\S+)/.exec(out);
	expect(account, out).not.toBeNull();
	staff = { username: account![1]!, password: account![2]! };
	server = await startServer(PORT, DATA_DIR);
	page = await (await browser.newContext({ baseURL: server.origin })).newPage();
	await page.goto('/console/signin');
	await page.getByLabel('用户名', { exact: true }).fill(staff.username);
	await page.getByLabel('密码', { exact: true }).fill(staff.password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByText(`已登录：${staff.username}`)).toBeVisible();
});

test.afterAll(async () => {
	await page?.context().close();
	await server?.stop();
});

test('a parameter changed in the form is in the JSON; an out-of-range value names its range, also in the preview', async () => {
	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '赋码规则' }).click();
	await expect(page.getByRole('heading', { name: '常用参数' })).toBeVisible();
	await axe(page);
	const editor = page.getByLabel('规则集 JSON', { exact: true });
	const json = async () => JSON.parse(await editor.inputValue()) as { rules: Record<string, Record<string, unknown>> };

	// hold days of a close contact: in the form, then in the JSON
	const hold = page.getByLabel('密切接触者：赋码保持天数', { exact: true });
	await hold.fill('10');
	await hold.press('Tab');
	expect((await json()).rules['close-contact']!.holdDays).toBe(10);

	// the companion distance out of range: told at once, beside the field, with the range
	const distance = page.getByLabel('距离（米）', { exact: true });
	await distance.fill('9000');
	await distance.press('Tab');
	await expect(distance).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('[data-error-path="rules.spatiotemporal-companion.precise.distanceM"]')).toHaveText(
		'⚠ 数值超出允许范围：须在 0 到 5000 之间'
	);
	expect(((await json()).rules['spatiotemporal-companion']!.precise as { distanceM: number }).distanceM).toBe(9000);
	await axe(page);

	// the venue-scan stay of the precise companion rule: its default, its range in the hint and, out of range, beside it
	const scanStay = page.getByLabel('场所扫码视为停留（分钟）', { exact: true });
	await expect(scanStay).toHaveValue('40');
	await expect(scanStay).toHaveAccessibleDescription(/须在 0 到 1440 之间；0 或留空表示不读扫码；默认 40/);
	await scanStay.fill('2000');
	await scanStay.press('Tab');
	await expect(scanStay).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('[data-error-path="rules.spatiotemporal-companion.precise.scanStayMinutes"]')).toHaveText(
		'⚠ 数值超出允许范围：须在 0 到 1440 之间'
	);
	expect(((await json()).rules['spatiotemporal-companion']!.precise as { scanStayMinutes: number }).scanStayMinutes).toBe(2000);

	// and by the server's preview, in the same words
	await page.getByRole('button', { name: '预览' }).click();
	await expect(page.getByRole('alert').locator('li[data-field="rules.spatiotemporal-companion.precise.distanceM"]')).toContainText(
		'数值超出允许范围：须在 0 到 5000 之间'
	);
	await expect(page.getByRole('button', { name: '保存' })).toBeDisabled();

	// English: the same range, in English
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('[data-error-path="rules.spatiotemporal-companion.precise.distanceM"]')).toHaveText(
		'⚠ Out of range: must be between 0 and 5000'
	);
	await expect(page.getByRole('alert').locator('li[data-field="rules.spatiotemporal-companion.precise.distanceM"]')).toContainText(
		'Out of range: must be between 0 and 5000'
	);
	await expect(page.getByLabel('A venue scan counts as a stay of (minutes)', { exact: true })).toHaveAccessibleDescription(
		/Between 0 and 1440; 0 or empty turns scans off; default 40\..*Out of range: must be between 0 and 1440/
	);
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
});

test('corrected, previewed and saved as a new version: the active rules are the form’s', async () => {
	const distance = page.getByLabel('距离（米）', { exact: true });
	await distance.fill('40');
	await distance.press('Tab');
	await expect(distance).not.toHaveAttribute('aria-invalid', 'true');
	const scanStay = page.getByLabel('场所扫码视为停留（分钟）', { exact: true });
	await scanStay.fill('30');
	await scanStay.press('Tab');
	await expect(scanStay).not.toHaveAttribute('aria-invalid', 'true');
	const version = page.getByLabel('版本号（保存新版本时须修改）', { exact: true });
	await version.fill('e2e-form-1');
	await version.press('Tab');
	// tests for a secondary contact: none needed (empty), then spacing fields disappear for that rule
	const tests = page.getByLabel('次密切接触者：解除所需核酸次数', { exact: true });
	await tests.fill('');
	await tests.press('Tab');
	await expect(page.getByLabel('次密切接触者：两次间隔（小时）', { exact: true })).toHaveCount(0);

	await page.getByRole('button', { name: '预览' }).click();
	await expect(page.getByRole('heading', { name: /^预览：版本 .+ → e2e-form-1，共 \d+ 人，\d+ 人会变色。$/ })).toBeVisible({
		timeout: 60_000
	});
	await axe(page);
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('当前生效版本：e2e-form-1')).toBeVisible({ timeout: 60_000 });
	const saved = activeRules();
	expect(saved.version).toBe('e2e-form-1');
	expect(saved.rules['close-contact']!.holdDays).toBe(10);
	expect((saved.rules['spatiotemporal-companion']!.precise as { distanceM: number }).distanceM).toBe(40);
	expect((saved.rules['spatiotemporal-companion']!.precise as { scanStayMinutes: number }).scanStayMinutes).toBe(30);
	expect(saved.rules['secondary-contact']!.tests).toBeNull();
	// the form shows what is now active
	await expect(page.getByLabel('密切接触者：赋码保持天数', { exact: true })).toHaveValue('10');
});

test('the help the page links to is served by the app (the rules reference), axe 0 in both languages', async () => {
	await page.getByRole('link', { name: '规则说明（各参数含义与默认值）' }).click();
	await expect(page).toHaveURL(/\/console\/help\/rules$/);
	await expect(page.getByRole('heading', { name: '赋码规则说明', level: 1 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'The rules and their defaults' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'The infectious window' })).toBeVisible();
	// the venue-scan stay the form edits, with its range
	await expect(page.getByText(/`?precise\.scanStayMinutes`?.*0–1440 min/).first()).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Colour rules reference', level: 1 })).toBeVisible();
	await axe(page);
	await page.getByRole('link', { name: 'Back to the colour rules' }).click();
	await expect(page.getByRole('heading', { name: 'Common parameters' })).toBeVisible();
	await axe(page);
});
