/**
 * The audit viewer (/console/audit) in real Chromium (server on E2E_PORT + 13, a small seeded city): console
 * actions (enrolling and revoking a guard phone) appear with their actor; filters by action, actor and time narrow
 * the list; the CSV export downloads the filtered rows (and is itself recorded); axe 0 in both languages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 13;
const DATA_DIR = join(ROOT, 'test-results', `console-audit-data-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let server: Server;
let page: Page;
let staff = { username: '', password: '' };
let deviceId = '';

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '300'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	const account = /username (\S+)\s+password (\S+)/.exec(out);
	expect(account, out).not.toBeNull();
	staff = { username: account![1]!, password: account![2]! };
	server = await startServer(PORT, DATA_DIR);
	const context = await browser.newContext({ baseURL: server.origin, acceptDownloads: true });
	page = await context.newPage();
	await page.goto('/console/signin');
	await page.getByLabel('用户名').fill(staff.username);
	await page.getByLabel('密码').fill(staff.password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/console$/);
});

test.afterAll(async () => {
	await page?.context().close();
	await server?.stop();
});

const rows = () => page.locator('tbody tr');

test('a console action appears with its actor, and filters narrow the list', async () => {
	const venue = (() => {
		const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
		try {
			return d.prepare("select id from venues where id not like 'demo-%' order by id limit 1").get() as { id: string };
		} finally {
			d.close();
		}
	})();
	// two actions through the console's own API (as its pages make them): enrol a guard phone, then revoke it
	const enrolled = await page.request.post(`/api/v1/console/venues/${venue.id}/guards`, { headers: { origin: server.origin } });
	expect(enrolled.status()).toBe(201);
	deviceId = ((await enrolled.json()) as { deviceId: string }).deviceId;
	expect((await page.request.post(`/api/v1/console/guards/${deviceId}/revoke`, { headers: { origin: server.origin } })).status()).toBe(200);

	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '审计日志' }).click();
	await expect(page.getByRole('heading', { name: '审计日志', level: 1 })).toBeVisible();
	const revoke = page.locator('tbody tr[data-action="device.revoke"]');
	await expect(revoke).toHaveCount(1);
	await expect(revoke).toContainText(staff.username);
	await expect(revoke).toContainText(deviceId);
	await expect(page.locator('tbody tr[data-action="device.enrol"]')).toHaveCount(1);
	await axe(page);

	// by action: only the revocation
	await page.getByLabel(/^操作（/).fill('device.revoke');
	await page.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(rows()).toHaveCount(1);
	await expect(rows().first()).toHaveAttribute('data-action', 'device.revoke');
	// a prefix: both device actions
	await page.getByLabel(/^操作（/).fill('device.');
	await page.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(rows()).toHaveCount(2);
	// another actor: nothing
	await page.getByLabel('操作人').fill('nobody');
	await page.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(page.getByText('没有符合条件的记录。')).toBeVisible();
	await expect(rows()).toHaveCount(0);
	// a time range that ended before the actions: nothing either
	await page.getByLabel('操作人').fill('');
	await page.getByLabel('结束时间').fill('2020-01-01T00:00');
	await page.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(rows()).toHaveCount(0);
	await page.getByRole('button', { name: '清除筛选' }).click();
	await expect(page.locator('tbody tr[data-action="device.revoke"]')).toHaveCount(1);
});

test('CSV export downloads the filtered rows and is itself recorded', async () => {
	await page.getByLabel(/^操作（/).fill('device.');
	await page.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(rows()).toHaveCount(2);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
	expect(download.suggestedFilename()).toMatch(/^tongxing-audit-\d{8}T\d{6}\.csv$/);
	const csv = readFileSync(await download.path(), 'utf8')
		.trim()
		.split('\r\n');
	expect(csv[0]).toBe('time,source,actor,action,person_hash,target,purpose,detail');
	expect(csv.slice(1).map((l) => l.split(',')[3])).toEqual(['device.revoke', 'device.enrol']);
	expect(csv[1]).toContain(deviceId);

	await page.getByRole('button', { name: '清除筛选' }).click();
	await expect(page.locator('tbody tr[data-action="audit.export"]')).toHaveCount(1);
});

test('English; axe 0', async () => {
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
	await expect(page.getByRole('columnheader', { name: 'Actor' })).toBeVisible();
	await axe(page);
});
