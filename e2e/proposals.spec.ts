/**
 * No one changes colours alone (issue 13), in real Chromium against its own `node build` with the default approval
 * threshold (100 residents) and a 3 000-resident demo city: staff A marks a whole-city high-risk area with a reason
 * code — over the threshold, so the page says truthfully it was submitted for approval, and nobody's colour changes;
 * A cannot approve it (no button, and the API refuses with proposal/own); staff B (demo.approver) approves it after a
 * confirm step; the affected resident is red and sees the staff decision with its reason and the appeal link in
 * their history. axe-core on the proposals pages and the manual colour form.
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

const PORT = Number(process.env.E2E_PORT ?? 4319) + 20;
const DATA_DIR = join(ROOT, 'test-results', `proposals-data-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: Server;
let staffA: Page;
let staffB: Page;
let resident: Page;
const contexts: BrowserContext[] = [];
let accounts = { staff: { username: '', password: '' }, approver: { username: '', password: '' } };
let persona = { name: '', id: '', phone: '' };
let proposalUrl = '';

function db<T>(fn: (d: Database.Database) => T): T {
	const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
	try {
		return fn(d);
	} finally {
		d.close();
	}
}
const count = (sql: string) => db((d) => (d.prepare(sql).get() as { n: number }).n);
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

function localInput(ms: number): string {
	return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

async function staffSignIn(p: Page, who: { username: string; password: string }): Promise<void> {
	await p.goto('/console/signin');
	await p.getByLabel('用户名').fill(who.username);
	await p.getByLabel('密码').fill(who.password);
	await p.getByRole('button', { name: '登录' }).click();
	await expect(p.getByText(`已登录：${who.username}`)).toBeVisible();
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
	const green = /^\s+green\s+(\S+)\s+(\d{17}[\dX])\s+phone (\d{11})/m.exec(out);
	expect(staff, out).not.toBeNull();
	expect(approver, out).not.toBeNull();
	expect(green, out).not.toBeNull();
	accounts = { staff: { username: staff![1]!, password: staff![2]! }, approver: { username: approver![1]!, password: approver![2]! } };
	persona = { name: green![1]!, id: green![2]!, phone: green![3]! };
	server = await startServer(PORT, DATA_DIR);
	const page = async () => {
		const c = await browser.newContext({ baseURL: server.origin });
		contexts.push(c);
		return c.newPage();
	};
	staffA = await page();
	staffB = await page();
	resident = await page();
});

test.afterAll(async () => {
	for (const c of contexts) await c.close();
	await server?.stop();
});

test('the resident signs in and declares: green, with no staff decision in their history', async () => {
	await signInUi(resident, server.origin, persona.phone);
	await expect(resident).toHaveURL(/\/app\/declare$/);
	const declared = await resident.request.post('/api/v1/declarations', {
		headers: { origin: server.origin },
		data: {
			name: persona.name,
			idNumber: persona.id,
			phone: persona.phone,
			region: persona.id.slice(0, 6),
			addressDetail: '1 号',
			temperature: 36.5,
			symptoms: ['none'],
			travel: []
		}
	});
	expect(declared.status(), await declared.text()).toBe(201);
	await resident.goto('/app/history');
	await expect(resident.getByRole('row').nth(1)).toContainText('绿码');
	await expect(resident.locator('[data-staff-reason]')).toHaveCount(0);
	expect(colourOf(persona.id)).toBe('green');
});

test('staff A marks a whole-city high-risk area: over the threshold it is only submitted for approval; nothing changes', async () => {
	await staffSignIn(staffA, accounts.staff);
	await staffA.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '风险区' }).click();
	await staffA.getByLabel('名称').fill('E2E 审批全城');
	await staffA.getByLabel('多边形顶点').fill('113.9,22.4\n114.2,22.4\n114.2,22.7\n113.9,22.7');
	await staffA.getByRole('radio', { name: '高风险' }).check();
	await staffA.getByLabel('开始时间').fill(localInput(Date.now() - 3 * 86_400_000));
	// no reason code: refused, by field
	await staffA.getByRole('button', { name: '标注风险区' }).click();
	await expect(staffA.getByRole('alert')).toContainText('请选择理由代码');
	expect(count('select count(*) n from proposals')).toBe(0);

	await staffA.locator('#area-reason').selectOption('risk-area-outbreak');
	const created = staffA.waitForResponse((r) => r.url().endsWith('/api/v1/console/risk-areas') && r.request().method() === 'POST');
	await staffA.getByRole('button', { name: '标注风险区' }).click();
	expect((await created).status()).toBe(202);
	const outcome = staffA.locator('[data-status="pending"]');
	await expect(outcome).toContainText('已提交审批：需另一名工作人员批准后才生效。', { timeout: 60_000 });
	await expect(staffA.getByRole('heading', { name: /已标注/ })).toHaveCount(0);
	// nothing took effect: no area, no colour changed, the resident still green
	expect(count("select count(*) n from risk_areas where name = 'E2E 审批全城'")).toBe(0);
	expect(colourOf(persona.id)).toBe('green');
	expect(count("select count(*) n from resident_colour_events where actor like 'staff/%'")).toBe(0);
	await axe(staffA);

	await outcome.getByRole('link', { name: '查看审批申请' }).click();
	await expect(staffA).toHaveURL(/\/console\/proposals\/[\w-]+$/);
	proposalUrl = new URL(staffA.url()).pathname;
	await expect(staffA.getByText('这是您提交的申请：须由另一名工作人员批准。')).toBeVisible();
	await expect(staffA.getByRole('button', { name: '批准' })).toHaveCount(0);
	await expect(staffA.locator('[data-reason="risk-area-outbreak"]')).toHaveText('风险区疫情');
	const changed = Number(await staffA.locator('[data-changed]').getAttribute('data-changed'));
	expect(changed).toBeGreaterThan(100);
	await expect(staffA.locator('[data-transition="green→red"]')).toBeVisible();
	await axe(staffA);
	// and the API refuses the proposer too
	const own = await staffA.request.post(`/api/v1/console/proposals/${proposalUrl.split('/').pop()}/approve`, {
		headers: { origin: server.origin }
	});
	expect(own.status()).toBe(403);
	expect(((await own.json()) as { code: string }).code).toBe('proposal/own');
	expect(colourOf(persona.id)).toBe('green');
});

test('staff B approves after a confirm step; the resident is red and sees the staff decision with its reason and how to appeal', async () => {
	await staffSignIn(staffB, accounts.approver);
	await staffB.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '审批' }).click();
	const pending = staffB.getByRole('table', { name: '待审批' });
	await expect(pending.getByRole('row').filter({ hasText: 'E2E 审批全城' })).toContainText(accounts.staff.username);
	await axe(staffB);
	await pending.getByRole('link', { name: /E2E 审批全城/ }).click();
	await expect(staffB).toHaveURL(new RegExp(`${proposalUrl}$`));
	await staffB.getByRole('button', { name: '批准' }).click();
	// the confirm step, keyboard reachable, names the count
	await expect(staffB.getByRole('heading', { name: /确认批准：\d+ 人的颜色将改变/ })).toBeFocused();
	await axe(staffB);
	expect(colourOf(persona.id)).toBe('green');
	await staffB.getByRole('button', { name: '确认' }).click();
	await expect(staffB.getByText('已批准并生效。')).toBeVisible({ timeout: 60_000 });
	await expect(staffB.locator('dl [data-status="applied"]')).toBeVisible();
	await expect(staffB.locator('[data-event="approved"]')).toContainText(accounts.approver.username);
	await axe(staffB);

	expect(colourOf(persona.id)).toBe('red');
	expect(count("select count(*) n from risk_areas where name = 'E2E 审批全城'")).toBe(1);
	expect(
		count(
			`select count(*) n from proposal_events where action = 'approved' and actor like 'staff/%' and reason_code = 'risk-area-outbreak'`
		)
	).toBe(1);

	await resident.goto('/app/history');
	const latest = resident.getByRole('row').nth(1);
	await expect(latest).toContainText('红码');
	await expect(latest.locator('[data-staff-reason="risk-area-outbreak"]')).toContainText('工作人员决定：风险区疫情');
	await latest.getByRole('link', { name: '如有异议，可提出申诉' }).click();
	await expect(resident).toHaveURL(/\/app\/history#appeal$/);
	await expect(resident.getByRole('heading', { name: '申诉', exact: true })).toBeInViewport();
	await axe(resident);
});

test('the manual colour form and the decided list pass axe, in both languages', async () => {
	await staffB.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '人工赋码' }).click();
	await expect(staffB.getByRole('heading', { name: '人工赋码', level: 1 })).toBeVisible();
	await axe(staffB);
	await staffB.getByRole('button', { name: 'English' }).click();
	await expect(staffB.getByRole('heading', { name: 'Manual colour decision', level: 1 })).toBeVisible();
	await axe(staffB);
	await staffB.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Approvals' }).click();
	await expect(staffB.getByRole('table', { name: 'Decided' }).getByRole('row').filter({ hasText: 'E2E 审批全城' })).toContainText(
		'Applied'
	);
	await axe(staffB);
});
