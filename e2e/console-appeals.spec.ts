/**
 * Appeals to an outcome and person lookup (issue 15), in real Chromium against its own `node build` with a demo
 * city: 张伟 (green) gets a positive test that was not his (an import error), and files an appeal in the app; an
 * officer reads it beside the reason and the exact test behind it, corrects the result — recorded, recoloured
 * through the normal path (new code, the old one revoked) — and 张伟 sees the outcome and its answer in the app.
 * 李娜 (yellow) appeals; the officer proposes a colour override, which takes effect only when demo.approver
 * approves; she then sees the outcome. Person lookup by phone with a purpose, audited. axe-core on the queue, the
 * appeal page and the lookup page in zh-CN and English.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { idHmac } from '../src/lib/server/issuer/people.js';
import { hmacKey } from '../src/lib/server/secrets.js';
import { ROOT, signInUi, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 63;
const DATA_DIR = join(ROOT, 'test-results', `console-appeals-data-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 180_000 });

interface Persona {
	name: string;
	id: string;
	phone: string;
}
let server: Server;
let staffA: Page;
let staffB: Page;
let zhang: Page;
let li: Page;
const contexts: BrowserContext[] = [];
let accounts = { staff: { username: '', password: '' }, approver: { username: '', password: '' } };
let green: Persona;
let yellow: Persona;

function db<T>(fn: (d: Database.Database) => T): T {
	const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
	try {
		return fn(d);
	} finally {
		d.close();
	}
}
const count = (sql: string, ...args: unknown[]) => db((d) => (d.prepare(sql).get(...args) as { n: number }).n);
const refOf = (idNumber: string) => idHmac(hmacKey(DATA_DIR, {}), 'resident', idNumber);
const colourOf = (idNumber: string) =>
	db(
		(d) => (d.prepare('select colour from resident_colours where ref = ?').get(refOf(idNumber)) as { colour: string } | undefined)?.colour
	);

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** axe in zh-CN, then in English (waiting for `enHeading`), then back to zh-CN. */
async function axeBoth(p: Page, enHeading: string, zhHeading: string): Promise<void> {
	await axe(p);
	await p.getByRole('button', { name: 'English' }).click();
	await expect(p.getByRole('heading', { name: enHeading, level: 1 })).toBeVisible();
	await axe(p);
	await p.getByRole('button', { name: '中文' }).click();
	await expect(p.getByRole('heading', { name: zhHeading, level: 1 })).toBeVisible();
}

async function staffSignIn(p: Page, who: { username: string; password: string }): Promise<void> {
	await p.goto('/console/signin');
	await p.getByLabel('用户名').fill(who.username);
	await p.getByLabel('密码').fill(who.password);
	await p.getByRole('button', { name: '登录' }).click();
	await expect(p.getByText(`已登录：${who.username}`)).toBeVisible();
}

async function declare(p: Page, who: Persona): Promise<void> {
	await signInUi(p, server.origin, who.phone);
	await expect(p).toHaveURL(/\/app\/declare$/);
	const declared = await p.request.post('/api/v1/declarations', {
		headers: { origin: server.origin },
		data: {
			name: who.name,
			idNumber: who.id,
			phone: who.phone,
			region: who.id.slice(0, 6),
			addressDetail: '1 号',
			temperature: 36.5,
			symptoms: ['none'],
			travel: []
		}
	});
	expect(declared.status(), await declared.text()).toBe(201);
	// the app holds the person (and their code) once it has synced: the appeal form needs them
	await p.goto('/app');
	await expect(p.getByTestId('live-qr')).toBeVisible({ timeout: 15_000 });
}

/** Files an appeal through the app's history page (the reason pre-selected from the link, as the app links it). */
async function fileAppeal(p: Page, reason: string, text: string): Promise<void> {
	await p.goto(`/app/history?reason=${reason}`);
	await expect(p.getByRole('heading', { name: '申诉', exact: true })).toBeVisible();
	await expect(p.locator('#a-reason')).toHaveValue(reason);
	await p.getByLabel('申诉理由（5–1000 字）').fill(text);
	await p.getByRole('button', { name: '提交申诉' }).click();
	await expect(p.getByRole('alert')).toHaveText('申诉已提交');
	await expect(p.getByTestId('appeals').getByRole('listitem').filter({ hasText: text })).toContainText('处理中');
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '3000'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	const staff = /管理控制台 \(\/console\): username (\S+)\s+password (\S+)/.exec(out);
	const approver = /审批人: username (\S+)\s+password (\S+)/.exec(out);
	const g = /^\s+green\s+(\S+)\s+(\d{17}[\dX])\s+phone (\d{11})/m.exec(out);
	const y = /^\s+yellow\s+(\S+)\s+(\d{17}[\dX])\s+phone (\d{11})/m.exec(out);
	expect(staff, out).not.toBeNull();
	expect(approver, out).not.toBeNull();
	expect(g, out).not.toBeNull();
	expect(y, out).not.toBeNull();
	accounts = { staff: { username: staff![1]!, password: staff![2]! }, approver: { username: approver![1]!, password: approver![2]! } };
	green = { name: g![1]!, id: g![2]!, phone: g![3]! };
	yellow = { name: y![1]!, id: y![2]!, phone: y![3]! };
	server = await startServer(PORT, DATA_DIR);
	const page = async () => {
		const c = await browser.newContext({ baseURL: server.origin });
		contexts.push(c);
		return c.newPage();
	};
	staffA = await page();
	staffB = await page();
	zhang = await page();
	li = await page();
});

test.afterAll(async () => {
	for (const c of contexts) await c.close();
	await server?.stop();
});

test('two residents declare; a positive test that is not 张伟’s is imported; both appeal in the app', async () => {
	await declare(zhang, green);
	await declare(li, yellow);
	expect(colourOf(green.id)).toBe('green');
	expect(colourOf(yellow.id)).toBe('yellow');

	// the import error: a positive result filed under 张伟's ID
	await staffSignIn(staffA, accounts.staff);
	const csv = `idNumber,sampledAt,result\n${green.id},${new Date(Date.now() - 2 * 3_600_000).toISOString()},positive\n`;
	const imported = await staffA.request.post('/api/v1/console/imports?source=health&kind=tests&reasonCode=test-result', {
		headers: { origin: server.origin, 'content-type': 'text/csv' },
		data: csv
	});
	expect(imported.status(), await imported.text()).toBeLessThan(300);
	expect(colourOf(green.id)).toBe('red');

	await fileAppeal(zhang, 'positive-test', '我从未做过这次核酸检测，这个阳性结果不是我的。');
	await fileAppeal(li, 'medium-risk-area-stay', '我只在那栋楼的商铺上班，每天核酸都是阴性。');
	expect(count("select count(*) n from appeals where status = 'open'")).toBe(2);
});

test('the queue lists both appeals, pending first, and passes axe in both languages', async () => {
	await staffA.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '申诉处理' }).click();
	await expect(staffA.getByRole('heading', { name: '申诉处理', level: 1 })).toBeVisible();
	await expect(staffA.getByTestId('appeal-counts')).toHaveText('待处理 2 件，待审批 0 件，超过 24 小时未处理 0 件。');
	const rows = staffA.getByRole('table', { name: '申诉列表' }).locator('tbody tr');
	await expect(rows).toHaveCount(2);
	// oldest first: 张伟 filed first
	await expect(rows.nth(0)).toContainText('核酸或抗原检测阳性');
	await expect(rows.nth(0)).toContainText('待处理');
	// masked identity only
	await expect(rows.nth(0)).not.toContainText(green.id);
	await axeBoth(staffA, 'Appeals', '申诉处理');
	// the filter: none is upheld yet
	await staffA.getByLabel('按状态筛选').selectOption('upheld');
	await expect(staffA.getByText('暂无申诉。')).toBeVisible();
	await staffA.getByLabel('按状态筛选').selectOption('');
	await expect(rows).toHaveCount(2);
});

test('an officer corrects the test result from the appeal: recorded, recoloured, and 张伟 sees the outcome', async () => {
	const rows = staffA.getByRole('table', { name: '申诉列表' }).locator('tbody tr');
	await rows.filter({ hasText: '核酸或抗原检测阳性' }).getByRole('link').click();
	await expect(staffA).toHaveURL(/\/console\/appeals\/[\w-]+$/);
	await expect(staffA.getByTestId('appeal-text')).toHaveText('我从未做过这次核酸检测，这个阳性结果不是我的。');
	// the reason with the exact fact behind it: which test, its result, its source
	const reason = staffA.locator('[data-reason="positive-test"]');
	await expect(reason).toContainText('核酸或抗原检测阳性');
	await expect(reason.locator('[data-fact="test"]')).toContainText('阳性');
	await expect(reason.locator('[data-fact="test"]')).toContainText('卫健部门');
	await expect(staffA.getByText(green.id)).toHaveCount(0);
	await axeBoth(staffA, 'Appeal', '申诉详情');

	const codesBefore = count(
		"select count(*) n from codes c join people p on p.id = c.person_id where p.id_hmac = ? and c.status = 'live'",
		refOf(green.id)
	);
	expect(codesBefore).toBeGreaterThan(0);
	await staffA.getByRole('radio', { name: '更正数据（导入错误）' }).check();
	// nothing chosen: refused by field, nothing written
	await staffA.getByRole('button', { name: '更正并答复' }).click();
	await expect(staffA.getByRole('alert')).toContainText('请更正标出的字段');
	expect(count('select count(*) n from fact_corrections')).toBe(0);

	// the positive one (the city gave 张伟 negative tests too)
	await staffA.getByLabel(/^检测，.* · 阳性$/).selectOption('negative');
	await staffA.getByLabel('更正依据（记入审计）').fill('检测机构确认样本编号录错，此结果属于他人');
	await staffA.getByLabel('给居民的答复（居民会在应用中看到）').fill('经核实，该检测结果录入错误，已更正，您的健康码已恢复。');
	await staffA.getByRole('button', { name: '更正并答复' }).click();
	await expect(staffA.locator('[data-outcome="upheld"]')).toContainText('申诉成立：数据已更正，已重新赋码。', { timeout: 60_000 });
	await expect(staffA.getByTestId('appeal-outcome')).toContainText('更正数据');
	// what the correction did, as for an import: 张伟 red → green
	await expect(staffA.locator('[data-transition="red->green"]')).toContainText(/红码 → 绿码：1 人/);
	await expect(staffA.locator('[data-correction]')).toContainText('阳性 → 阴性');

	expect(colourOf(green.id)).toBe('green');
	expect(count("select count(*) n from fact_corrections where fact_kind = 'test' and why like '检测机构%'")).toBe(1);
	expect(count("select count(*) n from staff_audit where action = 'appeal.resolve' and actor = ?", accounts.staff.username)).toBe(1);
	// the normal path: the old codes are no longer live, a new green one is
	expect(
		count(
			"select count(*) n from codes c join people p on p.id = c.person_id where p.id_hmac = ? and c.status = 'live' and c.colour = 'red'",
			refOf(green.id)
		)
	).toBe(0);
	expect(
		count(
			"select count(*) n from codes c join people p on p.id = c.person_id where p.id_hmac = ? and c.status = 'live' and c.colour = 'green'",
			refOf(green.id)
		)
	).toBeGreaterThan(0);

	await zhang.goto('/app/history');
	const mine = zhang.getByTestId('appeals').locator('[data-status="upheld"]');
	await expect(mine).toContainText('申诉成立');
	await expect(mine).toContainText('处理结果：数据有误，已更正并重新赋码');
	await expect(mine).toContainText('答复：经核实，该检测结果录入错误，已更正，您的健康码已恢复。');
	await expect(zhang.getByRole('row').nth(1)).toContainText('绿码');
	await axe(zhang);
	await zhang.getByRole('button', { name: 'English' }).click();
	await expect(mine).toContainText('Outcome: the data was wrong; corrected and your colour re-evaluated');
	await axe(zhang);
});

test('a colour override for 李娜 waits for demo.approver; approved, she is green and sees the outcome', async () => {
	await staffA.goto('/console/appeals');
	const rows = staffA.getByRole('table', { name: '申诉列表' }).locator('tbody tr');
	await rows.filter({ hasText: '近期到访中风险地区' }).getByRole('link').click();
	await expect(staffA.getByTestId('appeal-text')).toHaveText('我只在那栋楼的商铺上班，每天核酸都是阴性。');
	await expect(staffA.locator('[data-reason="medium-risk-area-stay"]')).toBeVisible();
	await staffA.getByRole('radio', { name: '人工赋码（须另一名工作人员批准）' }).check();
	await staffA.getByRole('radio', { name: '绿码' }).check();
	await staffA.getByLabel('给居民的答复（居民会在应用中看到）').fill('经流调核实，您在该区域的停留为工作需要且检测阴性，改为绿码。');
	await expect(staffA.locator('#appeal-reason')).toHaveValue('appeal-upheld');
	await staffA.getByRole('button', { name: '提交审批' }).click();
	await expect(staffA.locator('[data-outcome="in-review"]')).toContainText('已提交审批：须另一名工作人员批准后才生效。');
	expect(colourOf(yellow.id)).toBe('yellow');
	expect(count("select count(*) n from appeals where status = 'in-review'")).toBe(1);
	const proposalLink = staffA.getByRole('link', { name: '查看审批申请' }).first();
	const proposalPath = new URL((await proposalLink.getAttribute('href'))!, server.origin).pathname;

	await li.goto('/app/history');
	await expect(li.getByTestId('appeals').locator('[data-status="in-review"]')).toContainText('处理中（待复核批准）');

	await staffSignIn(staffB, accounts.approver);
	await staffB.goto(proposalPath);
	await staffB.getByRole('button', { name: '批准' }).click();
	await staffB.getByRole('button', { name: '确认' }).click();
	await expect(staffB.getByText('已批准并生效。')).toBeVisible({ timeout: 60_000 });
	expect(colourOf(yellow.id)).toBe('green');

	await li.goto('/app/history');
	const mine = li.getByTestId('appeals').locator('[data-status="upheld"]');
	await expect(mine).toContainText('处理结果：经复核人工调整健康码颜色');
	await expect(mine).toContainText('答复：经流调核实，您在该区域的停留为工作需要且检测阴性，改为绿码。');
	await expect(li.getByRole('row').nth(1)).toContainText('绿码');
	await expect(li.getByRole('row').nth(1).locator('[data-staff-reason="appeal-upheld"]')).toBeVisible();

	await staffA.goto('/console/appeals');
	await expect(staffA.getByTestId('appeal-counts')).toHaveText('待处理 0 件，待审批 0 件，超过 24 小时未处理 0 件。');
});

test('person lookup: purpose required, exact match by phone, audited; axe in both languages', async () => {
	await staffA.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '人员查询' }).click();
	await expect(staffA.getByRole('heading', { name: '人员查询', level: 1 })).toBeVisible();
	await axeBoth(staffA, 'Person lookup', '人员查询');
	await staffA.getByRole('radio', { name: '手机号' }).check();
	await staffA.getByLabel('手机号码').fill(green.phone);
	await staffA.getByRole('button', { name: '查询' }).click();
	await expect(staffA.getByRole('alert')).toContainText('请说明查询目的');
	expect(count("select count(*) n from staff_audit where action = 'person.lookup'")).toBe(0);

	await staffA.getByLabel('手机号码').fill(green.phone);
	await staffA.getByLabel('查询目的（必填，记入审计）').fill('复核申诉处理结果');
	await staffA.getByRole('button', { name: '查询' }).click();
	await expect(staffA.getByText('找到 1 人。')).toBeVisible();
	const dossier = staffA.locator('[data-person]');
	await expect(dossier.getByTestId('colour-now')).toContainText('绿码');
	await expect(dossier.locator('[data-correction]')).toContainText('阳性 → 阴性');
	await expect(dossier.locator('[data-code-status="revoked"], [data-code-status="superseded"]').first()).toBeVisible();
	await expect(dossier).not.toContainText(green.id);
	await expect(dossier).not.toContainText(green.phone);
	expect(
		count(
			"select count(*) n from staff_audit where action = 'person.lookup' and purpose = '复核申诉处理结果' and person_hash = ?",
			refOf(green.id)
		)
	).toBe(1);
	await axe(staffA);

	// no partial matches
	await staffA.getByLabel('手机号码').fill(green.phone.slice(0, 10) + '9');
	await staffA.getByRole('button', { name: '查询' }).click();
	await expect(staffA.getByRole('alert')).toContainText('未找到此人（须完全匹配）');
});
