/**
 * The console map (issue 15), in real Chromium against its own `node build` and a 3 000-resident demo city: staff sign
 * in and open the map from the console navigation; it draws the region's own geometry with no request to another
 * origin; axe 0 in both languages. The officer shows the outbreak site on the map, draws a polygon around it by
 * clicking on the map (leaflet-geoman), previews it — the page names how many residents would change colour —
 * submits it, and the residents the preview named are recoloured: the colour events carry the staff decision, the
 * sampled residents now have the colour the preview said, and the map's density aggregate moved by as many.
 * The approval threshold is raised for this server so the area applies at once (the two-person path is
 * proposals.spec.ts's).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 23;
const DATA_DIR = join(ROOT, 'test-results', `console-map-data-${PORT}`);
const SITE_AREA = '福田第1农贸市场（高风险区）';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: Server;
let page: Page;
let context: BrowserContext;
let staff = { username: '', password: '' };
const foreign: string[] = [];

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

function localInput(ms: number): string {
	return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

interface Totals {
	green: number;
	yellow: number;
	red: number;
}
/** The density layer's totals, as the page's own fetch reads GET /api/v1/console/map (the staff cookie). */
async function densityTotals(p: Page): Promise<Totals> {
	const body = await p.evaluate(async () => {
		const r = await fetch('/api/v1/console/map');
		if (!r.ok) throw new Error(`GET /api/v1/console/map: ${r.status}`);
		return (await r.json()) as { density: { cells: { features: { properties: Totals }[] }; unplaced: Totals } };
	});
	const t = { ...body.density.unplaced };
	for (const f of body.density.cells.features) {
		t.green += f.properties.green;
		t.yellow += f.properties.yellow;
		t.red += f.properties.red;
	}
	return t;
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '3000'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	const m = /管理控制台 \(\/console\): username (\S+)\s+password (\S+)/.exec(out);
	expect(m, out).not.toBeNull();
	staff = { username: m![1]!, password: m![2]! };
	server = await startServer(PORT, DATA_DIR, { env: { TONGXING_APPROVAL_THRESHOLD: '100000' } });
	context = await browser.newContext({ baseURL: server.origin, viewport: { width: 1400, height: 1000 } });
	page = await context.newPage();
	page.on('request', (r) => {
		const u = new URL(r.url());
		if (u.origin !== server.origin && u.protocol !== 'data:' && u.protocol !== 'blob:') foreign.push(r.url());
	});
});

test.afterAll(async () => {
	await context?.close();
	await server?.stop();
});

test('staff open the map: the region is drawn from its own geometry, with a legend in words; axe 0 in both languages', async () => {
	await page.goto('/console/signin');
	await page.getByLabel('用户名').fill(staff.username);
	await page.getByLabel('密码').fill(staff.password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByText(`已登录：${staff.username}`)).toBeVisible();
	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '地图' }).click();
	await expect(page).toHaveURL(/\/console\/map$/);
	const map = page.getByTestId('map');
	await expect(map).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
	// six districts labelled by name, the venues, the two outbreak risk areas, no tiles
	await expect(map.locator('.tx-district-label')).toHaveCount(6);
	await expect(map.locator('.tx-district-label').filter({ hasText: '福田' })).toHaveCount(1);
	await expect(map.locator('.tx-area-label')).toHaveCount(2);
	await expect(map.locator('.leaflet-tile')).toHaveCount(0);
	await expect(page.getByRole('table').filter({ hasText: SITE_AREA })).toBeVisible();
	await expect(page.locator('[data-totals]')).toContainText(/绿码 [\d,]+ 人，黄码 [\d,]+ 人，红码 [\d,]+ 人/);
	await expect(page.getByRole('link', { name: '文字输入风险区' })).toHaveAttribute('href', '/console/risk-areas');
	await axe(page);

	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Map', level: 1 })).toBeVisible();
	await expect(map.locator('.tx-district-label').filter({ hasText: 'Futian' })).toHaveCount(1);
	await expect(page.getByRole('button', { name: 'Draw Polygon' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Zoom in' })).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { name: '地图', level: 1 })).toBeVisible();

	// keyboard: the map takes focus and pans with the arrow keys
	await map.focus();
	const before = await map.locator('.leaflet-map-pane').getAttribute('style');
	await page.keyboard.press('ArrowRight');
	await expect.poll(() => map.locator('.leaflet-map-pane').getAttribute('style')).not.toBe(before);
	expect(foreign).toEqual([]);
});

test('a polygon drawn around the outbreak site is previewed, submitted, and the residents who were there are recoloured', async () => {
	const map = page.getByTestId('map');
	await page.getByRole('button', { name: `在地图上显示：${SITE_AREA}` }).click();
	await expect(map).toBeFocused();
	const box = (await map.boundingBox())!;
	const cx = box.x + box.width / 2;
	const cy = box.y + box.height / 2;
	// well inside the map, clear of geoman's toolbar in the top-left corner
	const dx = box.width * 0.3;
	const dy = box.height * 0.3;
	await page.getByRole('button', { name: '绘制多边形' }).click();
	const corners: [number, number][] = [
		[cx + dx, cy + dy],
		[cx - dx, cy + dy],
		[cx - dx, cy - dy],
		[cx + dx, cy - dy]
	];
	for (const [x, y] of corners) await page.mouse.click(x, y);
	await page.mouse.click(corners[0]![0], corners[0]![1]);
	await expect(page.locator('[data-draft]')).toHaveAttribute('data-draft', '4');
	await expect(page.locator('[data-draft]')).toContainText('已绘制：4 个顶点。');
	// submitting needs a preview first
	await expect(page.getByRole('button', { name: '提交风险区' })).toBeDisabled();

	const before = await densityTotals(page);
	const eventsBefore = db(
		(d) => (d.prepare("select count(*) n from resident_colour_events where actor like 'staff/%'").get() as { n: number }).n
	);
	expect(eventsBefore).toBe(0);

	await page.getByLabel('名称').fill('E2E 地图绘制：市场周边');
	await page.getByRole('radio', { name: '高风险' }).check();
	await page.getByLabel('开始时间').fill(localInput(Date.now() - 13 * 86_400_000));
	await page.locator('#map-area-reason').selectOption('risk-area-outbreak');
	const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/console/risk-areas/preview'));
	const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/console/risk-areas/preview'));
	await page.getByRole('button', { name: '预览影响' }).click();
	const ring = ((await sent).postDataJSON() as { polygon: [number, number][] }).polygon;
	expect(ring).toHaveLength(4);
	const preview = page.locator('section.preview');
	await expect(preview.getByRole('heading', { name: /预览：[\d,]+ 人的赋码颜色将改变/ })).toBeFocused({ timeout: 60_000 });
	const changed = Number(await preview.getAttribute('data-changed'));
	expect(changed).toBeGreaterThan(0);
	await expect(preview).toContainText('位置：福田');
	await expect(preview).toContainText('未超过审批门槛');
	// the preview wrote nothing
	expect(db((d) => (d.prepare("select count(*) n from risk_areas where name like 'E2E%'").get() as { n: number }).n)).toBe(0);
	// the residents the preview names (a sample, masked) are the ones to check after submitting
	const sampled = ((await (await answered).json()) as { preview: { changed: number; samples: { id: string; to: string }[] } }).preview;
	expect(sampled.samples.length).toBeGreaterThan(0);
	expect(sampled.changed).toBe(changed);
	await axe(page);

	const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/console/risk-areas') && r.request().method() === 'POST');
	await page.getByRole('button', { name: '提交风险区' }).click();
	expect((await created).status()).toBe(201);
	await expect(page.locator('[data-status="applied"]')).toBeVisible({ timeout: 60_000 });
	await expect(page.locator('[data-draft]')).toHaveAttribute('data-draft', '0');
	// drawn on the map now as a stored area, and listed
	await expect(page.getByRole('table').filter({ hasText: 'E2E 地图绘制：市场周边' })).toBeVisible();
	await expect(map.locator('.tx-area-label')).toHaveCount(3);

	// recoloured: one staff colour change per resident the preview counted (a resident whose reasons alone changed gets an
	// event with the same colour), and each sampled resident now has the previewed colour
	const events = db(
		(d) =>
			(
				d
					.prepare("select count(*) n from resident_colour_events where actor like 'staff/%' and colour <> coalesce(previous_colour, '')")
					.get() as { n: number }
			).n
	);
	expect(events).toBe(changed);
	for (const s of sampled.samples) {
		const row = db(
			(d) => d.prepare('select colour from resident_colours where ref like ?').get(`${s.id}%`) as { colour: string } | undefined
		);
		expect(row?.colour).toBe(s.to);
	}
	// and the density layer's aggregate moved with them (same population, fewer green)
	const after = await densityTotals(page);
	expect(after.green + after.yellow + after.red).toBe(before.green + before.yellow + before.red);
	expect(before.green - after.green).toBeGreaterThan(0);
	expect(before.green - after.green).toBeLessThanOrEqual(changed);

	// the text page lists the new area by its place, and links back to the map
	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '风险区' }).click();
	const row = page.getByRole('row').filter({ hasText: 'E2E 地图绘制：市场周边' });
	await expect(row.locator('[data-place]')).toContainText(/福田，中心 114\.\d{4}, 22\.\d{4}，约/);
	await expect(page.getByRole('link', { name: '在地图上绘制风险区（可预览影响人数）' })).toHaveAttribute('href', '/console/map');
	expect(foreign).toEqual([]);
});
