/**
 * The authority console (/console) used the way staff would, in real Chromium, against a server of our own
 * (E2E_PORT + 10) over a small seeded demo city: sign in with the demo account that `tongxing seed` prints;
 * import a good file (a resident's colour really changes: checked in the database) and a bad one (line-numbered
 * errors, nothing written); mark a risk area, see it listed with the recolour count, end it; preview a rules
 * change, then save it; enrol a guard phone for a city venue; switch language; axe on every page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url } from '../src/lib/core/bytes.js';
import { idHmac } from '../src/lib/server/issuer/people.js';
import { hmacKey } from '../src/lib/server/secrets.js';
import { ROOT, decodeQr, startServer, type Server } from './resident-helpers';
import { enrolPage } from './scanner/page';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 10;
const DATA_DIR = join(ROOT, 'test-results', `console-data-${PORT}`);
const FILES = join(ROOT, 'test-results', `console-files-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let server: Server;
let page: Page;
let staff = { username: '', password: '' };
let greenId = '';

/** Read-only look at the server's SQLite database (WAL: sees committed writes). */
function db<T>(fn: (d: Database.Database) => T): T {
	const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
	try {
		return fn(d);
	} finally {
		d.close();
	}
}
const count = (sql: string, ...args: unknown[]) => db((d) => (d.prepare(sql).get(...args) as { n: number }).n);
const colourOf = (idNumber: string) =>
	db(
		(d) =>
			(
				d.prepare('select colour from resident_colours where ref = ?').get(idHmac(hmacKey(DATA_DIR, {}), 'resident', idNumber)) as
					{ colour: string } | undefined
			)?.colour
	);

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A datetime-local value (the browser and this process share the machine's zone). */
function localInput(ms: number): string {
	return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	rmSync(FILES, { recursive: true, force: true });
	mkdirSync(FILES, { recursive: true });
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '3000'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	// the account and the green persona, as printed for people to sign in with
	const account = /username (\S+)\s+password (\S+)/.exec(out);
	const green = /^\s+green\s+\S+\s+(\d{17}[\dX])/m.exec(out);
	expect(account, out).not.toBeNull();
	expect(green, out).not.toBeNull();
	staff = { username: account![1]!, password: account![2]! };
	greenId = green![1]!;
	// two evaluation workers whatever the machine: the whole-city risk area below recolours ≥ 2 000 residents,
	// so the built server runs them through worker threads (evaluate-pool.ts). This spec drives each page's own
	// path (actions applied at once, with their reason code): the approval threshold is set above the city, and
	// e2e/proposals.spec.ts drives the same actions over the default threshold through a second staff member.
	server = await startServer(PORT, DATA_DIR, { env: { TONGXING_WORKERS: '2', TONGXING_APPROVAL_THRESHOLD: '1000000' } });
	const context = await browser.newContext({ baseURL: server.origin });
	page = await context.newPage();
});

test.afterAll(async () => {
	await page?.context().close();
	await server?.stop();
});

test('signed-out visitors are sent to sign-in; a wrong password is refused; the demo account signs in', async () => {
	await page.goto('/console/import');
	await expect(page).toHaveURL(/\/console\/signin$/);
	await expect(page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
	await expect(page.getByText('演示模式账号')).toBeVisible();
	await axe(page);

	await page.getByLabel('用户名').fill(staff.username);
	await page.getByLabel('密码').fill('not the password');
	await page.getByRole('button', { name: '登录' }).click();
	const refusal = page.getByRole('alert');
	await expect(refusal).toHaveText('用户名或密码错误');
	await expect(refusal).toBeFocused();

	await page.getByLabel('密码').fill(staff.password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/console$/);
	await expect(page.getByText(`已登录：${staff.username}`)).toBeVisible();
	await axe(page);
});

test('import: a bad file is refused by line and field with nothing written; a good file recolours its resident', async () => {
	expect(colourOf(greenId)).toBe('green');
	const casesBefore = count('select count(*) n from cases');
	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '导入数据' }).click();
	await expect(page.getByRole('heading', { name: '导入数据文件' })).toBeVisible();
	await page.getByLabel('数据源').selectOption('health');
	await page.getByLabel('数据类型').selectOption('cases');
	await expect(page.getByText('列 / 字段：idNumber, confirmedAt, releasedAt, onsetAt, isolatedAt')).toBeVisible();
	await page.getByLabel('理由代码').selectOption('case-confirmed');

	// line 2 is fine, line 3 has a bad time and line 4 a bad ID checksum: the whole file is refused
	const bad = join(FILES, 'cases-bad.csv');
	writeFileSync(bad, `idNumber,confirmedAt\n${greenId},2026-11-28 08:00\n${greenId},yesterday\n440305199003071237,2026-11-28 09:00\n`);
	await page.getByLabel('文件（.csv、.json、.ndjson）').setInputFiles(bad);
	await page.getByRole('button', { name: '上传并导入' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('文件有误，未导入任何数据');
	await expect(alert).toBeFocused();
	await expect(alert.locator('li[data-field="line.3.confirmedAt"]')).toHaveText(/^第 3 行：confirmedAt：/);
	await expect(alert.locator('li[data-field="line.4.idNumber"]')).toHaveText(/^第 4 行：idNumber：/);
	// how many rows: the problem's params, worded by the console (errors catalogue), not the server's English
	await expect(alert.getByTestId('problem-summary')).toHaveText('共 2 行有误，未导入任何数据');
	expect(count('select count(*) n from cases')).toBe(casesBefore);
	expect(colourOf(greenId)).toBe('green');
	await axe(page);

	// the same errors in English, exactly as the API words them
	await page.getByRole('button', { name: 'English' }).click();
	await expect(alert.locator('li[data-field="line.3.confirmedAt"]')).toHaveText(/^line 3: confirmedAt: /);
	await expect(alert).toContainText('nothing was imported');
	await expect(alert.getByTestId('problem-summary')).toHaveText('2 rows have errors; nothing was imported');
	await page.getByRole('button', { name: '中文' }).click();

	const good = join(FILES, 'cases.csv');
	writeFileSync(good, `idNumber,confirmedAt\n${greenId},${new Date(Date.now() - 3_600_000).toISOString()}\n`);
	await page.getByLabel('文件（.csv、.json、.ndjson）').setInputFiles(good);
	await page.getByRole('button', { name: '上传并导入' }).click();
	// a new case recolours everyone who was near them: thousands of residents in this city, seconds of work
	await expect(page.getByRole('heading', { name: '导入成功：1 行（cases）。' })).toBeVisible({ timeout: 30_000 });
	// the case and the people the outbreak links to them (contacts, co-visits) are re-evaluated
	const summary = page.locator('.recolour');
	await expect(summary).toContainText(/^重新评估 \d+ 人，其中 \d+ 人变色。/);
	const changed = Number(await summary.getAttribute('data-changed'));
	expect(changed).toBeGreaterThanOrEqual(1);
	await expect(page.locator('[data-transition="green->red"]')).toContainText(/绿码 → 红码：\d+ 人/);
	expect(count('select count(*) n from cases')).toBe(casesBefore + 1);
	expect(colourOf(greenId)).toBe('red');
	// every changed decision has its audit entry, attributed to the signed-in staff member, and the import its reason code
	expect(count("select count(*) n from resident_colour_events where actor like 'staff/%'")).toBe(
		Number(await summary.getAttribute('data-updated'))
	);
	expect(count("select count(*) n from proposal_events where action = 'applied' and reason_code = 'case-confirmed'")).toBe(1);

	// a file type the API cannot take is caught before uploading
	const xlsx = join(FILES, 'cases.xlsx');
	writeFileSync(xlsx, 'PK');
	await page.getByLabel('文件（.csv、.json、.ndjson）').setInputFiles(xlsx);
	await page.getByRole('button', { name: '上传并导入' }).click();
	await expect(page.getByText('无法判断文件类型')).toBeVisible();
});

test('risk areas: a bad document is explained; one is marked, listed with its level and recolour count, and ended', async () => {
	await page.getByRole('link', { name: '风险区' }).click();
	await expect(page.getByRole('heading', { name: '风险区', level: 1 })).toBeVisible();
	await expect(page.getByRole('table', { name: '生效中' })).toBeVisible();
	await axe(page);

	// a line that is not "lon,lat": named before anything is sent
	await page.getByLabel('名称').fill('E2E 全城');
	await page.getByLabel('多边形顶点').fill('113.9,22.4\n114.2;22.4');
	await page.getByRole('button', { name: '标注风险区' }).click();
	await expect(page.getByText('第 2 行应为“经度,纬度”')).toBeVisible();
	// two vertices: the server's field error, by field
	await page.getByLabel('多边形顶点').fill('113.9,22.4\n114.2,22.4');
	await page.getByRole('button', { name: '标注风险区' }).click();
	await expect(page.getByRole('alert').locator('li[data-field="polygon"]')).toContainText('多边形顶点');

	const residentsBefore = count("select count(*) n from resident_colours where colour = 'yellow'");
	await page.getByLabel('多边形顶点').fill('113.9,22.4\n114.2,22.4\n114.2,22.7\n113.9,22.7');
	await page.getByRole('radio', { name: '中风险' }).check();
	await page.getByLabel('开始时间').fill(localInput(Date.now() - 3 * 86_400_000));
	await page.locator('#area-reason').selectOption('risk-area-outbreak');
	const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/console/risk-areas') && r.request().method() === 'POST');
	await page.getByRole('button', { name: '标注风险区' }).click();
	// the whole city (≥ 2 000 residents) was re-evaluated by the built server's worker threads
	const body = (await (await created).json()) as {
		proposal: { status: string };
		result: { recoloured: { workers: number; evaluated: number } };
	};
	expect(body.proposal.status).toBe('applied');
	expect(body.result.recoloured.workers).toBe(2);
	expect(body.result.recoloured.evaluated).toBeGreaterThanOrEqual(2000);
	await expect(page.getByRole('heading', { name: '已标注“E2E 全城”。' })).toBeVisible();
	const summary = page.locator('.recolour').first();
	const changed = Number(await summary.getAttribute('data-changed'));
	expect(changed).toBeGreaterThan(0);
	await expect(page.locator('[data-transition="green->yellow"]')).toBeVisible();
	expect(count("select count(*) n from resident_colours where colour = 'yellow'")).toBeGreaterThan(residentsBefore);
	expect(count("select count(*) n from resident_colour_events where actor like 'staff/%'")).toBeGreaterThan(changed);

	const row = page.getByRole('table', { name: '生效中' }).getByRole('row').filter({ hasText: 'E2E 全城' });
	await expect(row).toContainText('中风险');
	await expect(row.locator('[data-level="medium"] svg polygon')).toHaveCount(1);
	// listed by where it is (district holding its centre, the centre, the area), not "polygon, 4 vertices"
	await expect(row.locator('[data-place]')).toContainText(/中心 1\d\d\.\d{4}, \d+\.\d{4}，约 [\d,.]+ 平方公里/);
	await axe(page);

	await page.locator('#end-reason').selectOption('data-correction');
	page.once('dialog', (d) => void d.accept());
	await row.getByRole('button', { name: '解除“E2E 全城”' }).click();
	await expect(page.getByRole('heading', { name: '已解除“E2E 全城”。' })).toBeVisible({ timeout: 30_000 });
	// ending closes the window; stays inside it still count (held 7 days under the default rules), so the
	// residents are re-evaluated and keep their colour
	const ended = page.locator('.recolour').first();
	expect(Number(await ended.getAttribute('data-evaluated'))).toBeGreaterThan(0);
	await expect(page.getByRole('table', { name: '已结束或未开始' }).getByRole('row').filter({ hasText: 'E2E 全城' })).toBeVisible();
	await expect(page.getByRole('table', { name: '生效中' }).getByRole('row').filter({ hasText: 'E2E 全城' })).toHaveCount(0);
	expect(count("select count(*) n from risk_areas where name = 'E2E 全城' and until_at is not null")).toBe(1);
});

test('rules: errors by path; Save only after a preview of the exact text; saving recolours as previewed', async () => {
	await page.getByRole('link', { name: '赋码规则' }).click();
	await expect(page.getByText('当前生效版本：default-2026-12')).toBeVisible();
	const editor = page.getByLabel('规则集 JSON');
	const save = page.getByRole('button', { name: '保存' });
	await expect(save).toBeDisabled();
	await axe(page);

	const rules = JSON.parse(await editor.inputValue()) as {
		version: string;
		rules: Record<string, { active: boolean; lookbackDays?: number }>;
	};
	await editor.fill(
		JSON.stringify({ ...rules, rules: { ...rules.rules, 'close-contact': { ...rules.rules['close-contact'], lookbackDays: -1 } } }, null, 2)
	);
	await page.getByRole('button', { name: '预览' }).click();
	await expect(page.getByRole('alert').locator('li[data-field="rules.close-contact.lookbackDays"]')).toContainText(
		'rules.close-contact.lookbackDays'
	);
	await expect(save).toBeDisabled();

	await editor.fill('{ "version": ');
	await page.getByRole('button', { name: '预览' }).click();
	await expect(page.getByText('不是有效的 JSON')).toBeVisible();

	// quarantine orders no longer make anyone red: the red persona (quarantine-order) at least changes
	const next = {
		...rules,
		version: 'e2e-no-quarantine',
		rules: { ...rules.rules, 'quarantine-order': { ...rules.rules['quarantine-order'], active: false } }
	};
	await editor.fill(JSON.stringify(next, null, 2));
	await page.getByRole('button', { name: '预览' }).click();
	const from = rules.version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const heading = page.getByRole('heading', { name: new RegExp(`^预览：版本 ${from} → e2e-no-quarantine，共 \\d+ 人，\\d+ 人会变色。$`) });
	// every resident evaluated under both rule sets (and, saving, recoloured): seconds in this city
	await expect(heading).toBeVisible({ timeout: 30_000 });
	const previewed = Number(/，(\d+) 人会变色/.exec((await heading.textContent()) ?? '')![1]);
	expect(previewed).toBeGreaterThan(0);
	await expect(page.locator('[data-transition^="red->"]').first()).toBeVisible();
	await expect(save).toBeEnabled();
	await axe(page);

	// any edit after the preview: preview again before saving
	await editor.press('End');
	await editor.pressSequentially(' ');
	await expect(save).toBeDisabled();
	await page.getByRole('button', { name: '预览' }).click();
	await expect(heading).toBeVisible({ timeout: 30_000 });
	await save.click();
	await expect(page.getByRole('heading', { name: '已保存版本 e2e-no-quarantine。' })).toBeVisible({ timeout: 30_000 });
	await expect(page.getByText(`其中 ${previewed} 人变色。`)).toBeVisible();
	await expect(page.getByText('当前生效版本：e2e-no-quarantine')).toBeVisible();
	expect(count("select count(*) n from rule_sets where active = 1 and version = 'e2e-no-quarantine'")).toBe(1);
	// published with the reason code the page preselects for rules
	expect(count("select count(*) n from proposals where kind = 'rules' and status = 'applied' and reason_code = 'rules-update'")).toBe(1);
});

test('venues: every city venue is listed; a guard enrolment code is made, shown as text and a readable QR', async () => {
	await page.getByRole('link', { name: '场所与扫码设备' }).click();
	const venues = count('select count(*) n from venues');
	await expect(page.getByText(`共 ${venues} 个场所`)).toBeVisible();
	await axe(page);
	// a venue of the seeded city (not one of the four demo-* venues)
	const city = db(
		(d) => d.prepare("select id, name from venues where id not like 'demo-%' order by id limit 1").get() as { id: string; name: string }
	);
	await page.getByLabel('按名称或编号筛选').fill(city.id);
	await expect(page.getByText('共 1 个场所')).toBeVisible();
	const devicesBefore = count('select count(*) n from guard_devices where venue_id = ?', city.id);
	await page.getByRole('button', { name: `为“${city.name}”生成登记码` }).click();
	await expect(page.getByRole('heading', { name: `“${city.name}”的扫码设备登记码` })).toBeFocused();
	const code = await page.getByLabel('登记码文本').inputValue();
	expect(code).toMatch(/^TXE1:[A-Za-z0-9_-]+$/);
	const enrolment = JSON.parse(new TextDecoder().decode(fromBase64Url(code.slice(5))!)) as {
		venue: { id: string };
		token: string;
		rootPublicKey: string;
	};
	expect(enrolment.venue.id).toBe(city.id);
	expect(enrolment.rootPublicKey).toBeTruthy();
	expect(await decodeQr(page, page.locator('.code canvas'))).toBe(code);
	expect(count('select count(*) n from guard_devices where venue_id = ?', city.id)).toBe(devicesBefore + 1);
	await expect(page.locator(`tr[data-venue="${city.id}"] [data-guards]`)).toHaveText(String(devicesBefore + 1));
	await axe(page);
	await page.getByRole('button', { name: '关闭' }).click();
	await expect(page.getByRole('button', { name: `为“${city.name}”生成登记码` })).toBeFocused();

	// the guard's phone: /scan takes the code and is enrolled to that city venue
	const guard = await page.context().browser()!.newContext({ baseURL: server.origin });
	try {
		const phone = await guard.newPage();
		await enrolPage(phone, server.origin, code);
		await expect(phone.getByTestId('venue')).toContainText(city.name);
	} finally {
		await guard.close();
	}
});

test('English throughout, and signing out ends the session', async () => {
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Venues and scanners', level: 1 })).toBeVisible();
	for (const [link, heading] of [
		['Import data', 'Import a data file'],
		['Risk areas', 'Risk areas'],
		['Colour rules', 'Colour rules'],
		['Approvals', 'Approvals'],
		['Manual colour', 'Manual colour decision'],
		['Member link review', 'Member link review'],
		['Overview', 'Console']
	] as const) {
		await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: link }).click();
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		await axe(page);
	}
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/console\/signin$/);
	const status = await page.evaluate(async () => (await fetch('/api/v1/staff/session')).status);
	expect(status).toBe(401);
	await page.goto('/console/rules');
	await expect(page).toHaveURL(/\/console\/signin$/);
	await expect(page.getByRole('heading', { name: 'Staff sign-in' })).toBeVisible();
});
