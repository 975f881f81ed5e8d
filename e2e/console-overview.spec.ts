/**
 * The console overview (/console) in real Chromium over a small seeded demo city (server on E2E_PORT + 12): the
 * colour mix on screen is the database's (counted here with SQL, independently of the server's kept counts);
 * scans a guard phone uploads appear per venue with their verdicts ("cannot verify" share) and the device's
 * last upload; charts are drawn (ECharts, role=img named by the summary sentence); axe 0 in both languages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chainScanEvent, type ScanEvent } from '../src/lib/core/scan-log.js';
import { ROOT, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 12;
const DATA_DIR = join(ROOT, 'test-results', `console-overview-data-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let server: Server;
let page: Page;
let staff = { username: '', password: '' };

function db<T>(fn: (d: Database.Database) => T): T {
	const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
	try {
		return fn(d);
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
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '1500'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	const account = /username (\S+)\s+password (\S+)/.exec(out);
	expect(account, out).not.toBeNull();
	staff = { username: account![1]!, password: account![2]! };
	server = await startServer(PORT, DATA_DIR);
	const context = await browser.newContext({ baseURL: server.origin });
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

test('the colour mix is the city’s, drawn as a chart named by its summary; axe 0', async () => {
	const mix = db(
		(d) => d.prepare('select colour, count(*) n from resident_colours group by colour').all() as { colour: string; n: number }[]
	);
	const of = (c: string) => mix.find((m) => m.colour === c)?.n ?? 0;
	const total = mix.reduce((a, m) => a + m.n, 0);
	expect(total).toBeGreaterThan(1000);
	expect(of('red') + of('yellow')).toBeGreaterThan(0); // the seeded outbreak: otherwise this test proves little
	const nf = new Intl.NumberFormat('zh-CN');
	const sentence = `共 ${nf.format(total)} 名居民已赋码：绿码 ${nf.format(of('green'))}，黄码 ${nf.format(of('yellow'))}，红码 ${nf.format(of('red'))}。`;
	await expect(page.getByTestId('mix-summary')).toHaveText(sentence);
	// ECharts drew it: its container is an image named by the same sentence, with a canvas inside
	const chart = page.getByRole('img', { name: sentence });
	await expect(chart).toBeVisible();
	await expect(chart.locator('canvas')).toHaveCount(1);
	// the table alternative holds the same numbers
	await page.getByText('图表数据（表格）').first().click();
	await expect(page.getByRole('table', { name: '当前赋码构成' }).getByRole('row', { name: /红码/ })).toContainText(nf.format(of('red')));
	await expect(page.getByText('待审批申请')).toBeVisible();
	await axe(page);
});

test('scans a guard phone uploads show per venue, with the unverifiable share and the device’s last upload', async () => {
	const venue = db(
		(d) => d.prepare("select id, name from venues where id not like 'demo-%' order by id limit 1").get() as { id: string; name: string }
	);
	const enrolled = await page.request.post(`/api/v1/console/venues/${venue.id}/guards`, { headers: { origin: server.origin } });
	expect(enrolled.status()).toBe(201);
	const e = (await enrolled.json()) as { deviceId: string; token: string };
	const now = Date.now();
	let prev: ScanEvent | null = null;
	const events: ScanEvent[] = [];
	for (const [i, v] of (['valid', 'valid', 'invalid', 'unverifiable'] as const).entries()) {
		prev = chainScanEvent(prev, {
			eventId: `ov-${i}-${e.deviceId}`,
			deviceId: e.deviceId,
			venueId: venue.id,
			scannedAt: now - (4 - i) * 60_000,
			codeId: null,
			verdict: v,
			reason: v === 'valid' ? 'ok' : v === 'invalid' ? 'expired' : 'status-list-stale'
		});
		events.push(prev);
	}
	const up = await page.request.post('/api/v1/scans', {
		headers: { authorization: `Bearer ${e.token}`, origin: server.origin },
		data: { events }
	});
	expect(up.status()).toBe(200);

	await page.getByRole('button', { name: '刷新' }).click();
	const nf = new Intl.NumberFormat('zh-CN');
	await expect(page.getByTestId('scans-summary')).toHaveText(
		`最近 24 小时共扫码 ${nf.format(4)} 次，最多的场所是 ${venue.name}（${nf.format(4)} 次）。`
	);
	await expect(page.getByTestId('verdict-summary')).toHaveText('最近 24 小时的扫码中，“无法核验”占 25%（1 / 4）；有效 2，无效 1。');
	const row = page.getByRole('table', { name: '扫码设备同步情况' }).getByRole('row', { name: new RegExp(e.deviceId) });
	await expect(row).toContainText(venue.name);
	await expect(row).not.toContainText('尚未上传');
	await axe(page);
});

test('English: the same numbers in English words and number format; axe 0', async () => {
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Colour mix now' })).toBeVisible();
	const total = db((d) => (d.prepare('select count(*) n from resident_colours').get() as { n: number }).n);
	await expect(page.getByTestId('mix-summary')).toContainText(`${new Intl.NumberFormat('en').format(total)} residents have a colour`);
	await expect(page.getByTestId('verdict-summary')).toContainText('25%');
	await axe(page);
});
