/**
 * Members need real consent (issue 13), in real Chromium against a server of our own: a member added by a code
 * sent to the member's own phone (read from the demo outbox), by the household register, and by staff review on
 * /console/member-links; a request without evidence stays pending and shows nothing of the member's colour; the
 * person sees who holds a link to them and removes it, and the holder's member is gone. axe-core on every page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { join } from 'node:path';
import { DEMO_STAFF } from '../src/demo/seed-staff.js';
import { ROOT, signInUi, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 40;
const DATA_DIR = join(ROOT, 'test-results', `member-consent-data-${PORT}`);
let server: Server;

const LI = { name: '李娜', idNumber: '440304198511124567', phone: '13900139000', region: '440304' };
const ZHANG = { name: '张伟', idNumber: '440305199003071236', phone: '13800138000', region: '440305' };
const WANG = { name: '王芳', idNumber: '440306197805207892', phone: '13700137000', region: '440306' };
const COLOUR_WORDS = /绿码|黄码|红码/;

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A signed-in resident who has declared for themselves (the declaration through the API: not what is tested here). */
async function resident(browser: Browser, who: typeof LI): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: server.origin });
	const page = await context.newPage();
	await signInUi(page, server.origin, who.phone);
	await expect(page).toHaveURL(/\/app\/declare$/);
	const declared = await context.request.post('/api/v1/declarations', {
		headers: { origin: server.origin },
		data: { ...who, idType: 'resident', addressDetail: '1 栋', temperature: 36.5, symptoms: ['none'], travel: [] }
	});
	expect(declared.status()).toBe(201);
	return { context, page };
}

async function addMember(page: Page, name: string, idNumber: string, evidence: RegExp): Promise<void> {
	await page.getByLabel('成员姓名').fill(name);
	await page.getByLabel('成员居民身份证号码').fill(idNumber);
	await page.getByRole('radio', { name: evidence }).check();
}

/** The newest text the demo outbox holds for a phone that matches `pattern`. */
async function outboxText(page: Page, phone: string, pattern: RegExp): Promise<string> {
	let text = '';
	await expect
		.poll(async () => {
			const r = (await (await page.request.get(`${server.origin}/api/v1/dev/outbox?phone=${phone}`)).json()) as {
				messages: { text: string }[];
			};
			text = r.messages.find((m) => pattern.test(m.text))?.text ?? '';
			return text;
		})
		.toMatch(pattern);
	return text;
}

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async () => {
	server = await startServer(PORT, DATA_DIR, { fresh: true });
});

test.afterAll(async () => {
	await server.stop();
});

let li: { context: BrowserContext; page: Page };

test('without evidence the request stays pending and nothing of the member’s colour is shown', async ({ browser }) => {
	li = await resident(browser, LI);
	const page = li.page;
	await page.goto('/app/members');
	await expect(page.getByRole('heading', { level: 1, name: '家庭成员（代为出示）' })).toBeVisible();
	await axe(page);
	// 王小明 is not in 李娜's household and she is not his guardian
	await addMember(page, '王小明', '440305201806015676', /户籍登记/);
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.getByRole('alert')).toContainText('户籍登记未能确认');
	const pending = page.getByTestId('pending-links');
	await expect(pending).toContainText('王*明');
	await expect(pending).toContainText('户籍登记未确认');
	await expect(page.getByText('尚未添加成员。')).toBeVisible();
	await expect(page.locator('main, body').first()).not.toContainText(COLOUR_WORDS);
	await expect(page.locator('[data-colour]')).toHaveCount(0);
	const members = (await (await li.context.request.get('/api/v1/me/members')).json()) as { members: unknown[] };
	expect(members.members).toEqual([]);
	await axe(page);
	// Over HTTP: the same status and body for an ID in the register (held by no one) and one in no register.
	const post = async (name: string, idNumber: string) => {
		const r = await li.context.request.post('/api/v1/me/members', {
			headers: { origin: server.origin },
			data: { name, idNumber, evidence: { method: 'staff' } }
		});
		const body = (await r.json()) as { linkId: string };
		await li.context.request.delete(`/api/v1/me/member-links/${body.linkId}`, { headers: { origin: server.origin } });
		return { status: r.status(), body: { ...body, linkId: typeof body.linkId } };
	};
	expect(await post('王秀英', '440306195002142344')).toEqual(await post('赵六', '440303197001010016'));
	expect(await post('王秀英', '440306195002142344')).toEqual({
		status: 202,
		body: { linkId: 'string', status: 'pending', requested: 'staff' }
	});
	await page.getByRole('button', { name: '撤回 王*明 的申请' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已撤回 王*明 的申请' })).toBeVisible();
	await expect(page.getByTestId('pending-links')).toHaveCount(0);
});

test('by a code to the member’s own phone: the text names the adder; the code confirms the link', async () => {
	const page = li.page;
	await addMember(page, '张伟', ZHANG.idNumber, /成员本人手机验证码/);
	await page.getByLabel('成员本人的手机号码').fill(ZHANG.phone);
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.getByRole('alert')).toContainText('如信息相符，验证码已发送到成员本人的手机');
	await expect(page.getByTestId('pending-links')).toContainText('等待成员手机验证码');
	await expect(page.locator('[data-colour]')).toHaveCount(0);
	await axe(page);
	const text = await outboxText(page, ZHANG.phone, /李\* 申请将您添加为家庭成员/);
	expect(text).toContain('健康码颜色和原因');
	await page.getByLabel('张* 手机收到的验证码（6 位数字）').fill(/\b(\d{6})\b/.exec(text)![1]!);
	await page.getByRole('button', { name: '确认' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已添加 张*' })).toBeVisible();
	const list = page.locator('ul.members').first();
	await expect(list).toContainText('张*');
	await expect(list.locator('[data-colour="green"]')).toBeVisible();
	await axe(page);
});

test('the person sees who holds a link to them and removes it; the holder’s member is gone', async ({ browser }) => {
	const zhang = await resident(browser, ZHANG);
	const page = zhang.page;
	await page.goto('/app/members');
	const links = page.getByTestId('links-to-me');
	await expect(links).toContainText('李*（证件 4403**********4567）');
	await expect(links).toContainText('已确认');
	await expect(links).toContainText('您的手机验证码');
	await axe(page);
	await links.getByRole('button', { name: '移除 李*' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已移除 李*' })).toBeVisible();
	await expect(links).toContainText('没有其他账户添加您为家庭成员。');
	await axe(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Who can present my code' })).toBeVisible();
	await expect(page.getByRole('radio', { name: 'Code to the member’s own phone' })).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
	await zhang.context.close();
	// 李娜's account no longer holds 张伟
	const members = (await (await li.context.request.get('/api/v1/me/members')).json()) as { members: unknown[] };
	expect(members.members).toEqual([]);
	await li.page.goto('/app/members');
	await expect(li.page.getByText('尚未添加成员。')).toBeVisible();
});

test('by the household register: 王芳 adds her mother at once', async ({ browser }) => {
	const wang = await resident(browser, WANG);
	const page = wang.page;
	await page.goto('/app/members');
	await addMember(page, '王秀英', '440306195002142344', /户籍登记/);
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.getByRole('alert')).toHaveText('已添加 王秀英');
	const list = page.locator('ul.members').first();
	await expect(list).toContainText('王*英');
	await expect(list.getByRole('link', { name: '出示此码' })).toBeVisible();
	await axe(page);
	await wang.context.close();
});

test('by staff review: pending until a staff member approves with recorded evidence (/console/member-links)', async ({ browser }) => {
	const page = li.page;
	await addMember(page, '王秀英', '440306195002142344', /工作人员审核/);
	await page.getByLabel('给工作人员的说明（可选）').fill('外婆没有手机，周一到社区窗口');
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.getByRole('alert')).toContainText('已提交工作人员审核');
	await expect(page.getByTestId('pending-links')).toContainText('等待工作人员审核');
	await expect(page.locator('[data-colour]')).toHaveCount(0);

	const staff = await browser.newContext({ baseURL: server.origin });
	const console = await staff.newPage();
	await console.goto('/console/signin');
	await console.getByLabel('用户名').fill(DEMO_STAFF.username);
	await console.getByLabel('密码').fill(DEMO_STAFF.password);
	await console.getByRole('button', { name: '登录' }).click();
	await expect(console).toHaveURL(/\/console$/);
	await console.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '成员关联审核' }).click();
	await expect(console.getByRole('heading', { level: 1, name: '成员关联审核' })).toBeVisible();
	const row = console.locator('tr', { hasText: '外婆没有手机' });
	await expect(row).toContainText('李*');
	await expect(row).toContainText('王*英');
	await expect(row).toContainText('姓名与证件号相符');
	await axe(console);
	// the evidence note is required
	await row.getByRole('button', { name: '批准 王*英' }).click();
	await expect(console.getByRole('alert')).toBeVisible();
	await row.getByLabel('为 王*英 记录核实的证据（必填）').fill('核验本人身份证原件，本人当面口头同意');
	await row.getByRole('button', { name: '批准 王*英' }).click();
	await expect(console.getByRole('status').filter({ hasText: '已批准 王*英 的关联' })).toBeVisible();
	await expect(console.getByText('没有待审核的申请。')).toBeVisible();
	await axe(console);
	await staff.close();

	await page.goto('/app/members');
	const list = page.locator('ul.members').first();
	await expect(list).toContainText('王*英', { timeout: 15_000 });
	await expect(page.getByTestId('pending-links')).toHaveCount(0);
	await li.context.close();
});
