/**
 * People and devices from the console (issue 15), against the shared production build (E2E_PORT):
 * - an admin adds a staff member with a role (first password shown once) and disables them: the member's open
 *   console (a second browser context) is refused on its next request and told why (staff/disabled);
 * - an admin enrols a guard phone for a venue (code shown as text and QR), revokes it from the venue's devices, and
 *   the scanner is refused on its next sync (device/revoked);
 * - a viewer sees the pages read-only, and the API refuses their changes with 403 staff/forbidden;
 * - the keys page asks for the kid typed again before marking a key compromised (nothing is changed here: other
 *   specs share the server's keys; the service tests rotate and compromise);
 * - axe 0 on the new and changed pages in both languages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { errors } from '../src/lib/i18n/locales/errors.js';
import { people } from '../src/lib/i18n/locales/console-people.js';
import { scanner } from '../src/lib/i18n/locales/scanner.js';
import { issue, ROOT } from './scanner/codes.js';
import { dismiss, enrolPage, wedgeScan } from './scanner/page.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const PASSWORD = 'correct horse battery staple';
const zh = people['zh-CN'];
const en = people.en;

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** An account as an operator adds one (`tongxing staff add NAME --role ROLE --password-stdin`). */
function addStaff(username: string, role: string): void {
	execFileSync(process.execPath, [join(ROOT, 'bin', 'tongxing.js'), 'staff', 'add', username, '--role', role, '--password-stdin'], {
		env: { ...process.env, DATA_DIR },
		input: `${PASSWORD}\n`,
		cwd: ROOT
	});
}

async function signIn(browser: Browser, username: string, password = PASSWORD): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await page.goto(`${ORIGIN}/console/signin`);
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByText(`已登录：${username}`)).toBeVisible();
	return page;
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name });
const suffix = () => Date.now() % 100000;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test('an admin adds a staff member and disables them: the member’s open console is refused and says why', async ({ browser }) => {
	const adminName = `people.admin${suffix()}`;
	addStaff(adminName, 'admin');
	const admin = await signIn(browser, adminName);
	await expect(admin.locator('[data-role="admin"]')).toHaveText('角色：管理员');
	await nav(admin, '工作人员').click();
	await expect(admin.getByRole('heading', { name: '工作人员与角色', level: 1 })).toBeVisible();
	await axe(admin);

	// add with a role: the first password is shown once, focused
	const memberName = `people.member${suffix()}`;
	await admin.getByLabel('用户名', { exact: true }).fill(memberName);
	await admin.getByLabel('角色', { exact: true }).selectOption('officer');
	await admin.getByRole('button', { name: '添加', exact: true }).click();
	await expect(admin.locator('#added-heading')).toHaveText(`已添加 ${memberName}（经办员）`);
	await expect(admin.locator('#added-heading')).toBeFocused();
	const password = await admin.getByLabel('初始密码（仅显示这一次）').inputValue();
	expect(password.length).toBeGreaterThanOrEqual(12);
	const row = admin.locator(`tr[data-staff="${memberName}"]`);
	await expect(row.locator('[data-role]')).toHaveText('经办员');
	await expect(row.locator('[data-status]')).toHaveText('✓ 启用');
	await axe(admin);
	await admin.getByRole('button', { name: '关闭' }).click();

	// the member signs in in another browser and works
	const member = await signIn(browser, memberName, password);
	await nav(member, '场所与扫码设备').click();
	await expect(member.getByRole('heading', { name: '场所与扫码设备', level: 1 })).toBeVisible();
	await expect(member.locator('tr[data-venue="demo-library"]')).toBeVisible();

	// the admin changes the role, then disables the account after a confirm step
	await admin.reload();
	await expect(row.locator('[data-sessions]')).toHaveText('1');
	await admin.getByLabel(`${memberName} 的角色`, { exact: true }).selectOption('viewer');
	await admin.getByRole('button', { name: `更改 ${memberName} 的角色` }).click();
	await expect(admin.getByRole('status').filter({ hasText: `${memberName} 的角色已改为查看员` })).toBeVisible();
	await expect(row.locator('[data-role]')).toHaveText('查看员');
	const disable = admin.getByRole('button', { name: `停用 ${memberName}` });
	await disable.click();
	const confirm = admin.getByRole('region', { name: `停用 ${memberName}` });
	await expect(confirm).toContainText('1 个打开的会话将立即结束');
	await expect(admin.locator('#confirm-heading')).toBeFocused();
	await axe(admin);
	await confirm.getByRole('button', { name: '确认停用' }).click();
	await expect(admin.getByRole('status').filter({ hasText: `已停用 ${memberName}，结束了 1 个会话。` })).toBeVisible();
	await expect(row.locator('[data-status]')).toHaveText(/^✕ 已停用（.+）$/);
	await expect(row.locator('[data-sessions]')).toHaveText('0');
	// the admin cannot disable or demote themself (no controls on their own row)
	await expect(admin.locator(`tr[data-staff="${adminName}"]`).getByRole('button')).toHaveCount(0);

	// the member's open tab: its next request is refused, and the sign-in page says why
	await nav(member, '设备与密钥').click();
	await expect(member).toHaveURL(/\/console\/signin$/);
	await expect(member.locator('[data-code="staff/disabled"]')).toHaveText(`⚠ ${zh['signin.disabled']}`);
	const api = await member.request.get(`${ORIGIN}/api/v1/console/venues`);
	expect(api.status()).toBe(401);
	expect(((await api.json()) as { code: string }).code).toBe('staff/disabled');
	await axe(member);
	// and it cannot sign in again
	await member.getByLabel('用户名').fill(memberName);
	await member.getByLabel('密码').fill(password);
	await member.getByRole('button', { name: '登录' }).click();
	await expect(member.getByRole('alert').filter({ hasText: '用户名或密码错误' })).toBeVisible();

	// English
	await admin.getByRole('button', { name: 'English' }).click();
	await expect(admin.getByRole('heading', { name: 'Staff and roles', level: 1 })).toBeVisible();
	await expect(row.locator('[data-status]')).toHaveText(/^✕ Disabled \(.+\)$/);
	await axe(admin);
	await member.getByRole('button', { name: 'English' }).click();
	await expect(member.locator('[data-code="staff/disabled"]')).toHaveText(`⚠ ${en['signin.disabled']}`);
	await axe(member);
	await admin.context().close();
	await member.context().close();
});

test('an admin enrols a guard phone for a venue and revokes it: the scanner is refused on its next sync', async ({ browser }) => {
	const adminName = `people.devices${suffix()}`;
	addStaff(adminName, 'admin');
	const admin = await signIn(browser, adminName);
	await nav(admin, '场所与扫码设备').click();
	const venue = admin.locator('tr[data-venue="demo-library"]');
	await expect(venue.locator('[data-policy]')).toHaveText('仅限绿码');
	await axe(admin);

	await admin.getByRole('button', { name: '为“南山图书馆 Nanshan Library”生成登记码' }).click();
	const heading = admin.locator('#code-heading');
	await expect(heading).toBeFocused();
	const code = await admin.getByLabel('登记码文本').inputValue();
	expect(code.startsWith('TXE1:')).toBe(true);
	const deviceId = /设备编号：(\S+)/.exec((await admin.getByText(/^设备编号：/).textContent()) ?? '')![1]!;
	// the QR is drawn (a canvas with pixels), for printing
	expect(await admin.locator('.code canvas').evaluate((c: HTMLCanvasElement) => c.width > 0)).toBe(true);
	await axe(admin);
	await admin.getByRole('button', { name: '关闭' }).click();

	// the guard's phone, enrolled with that code and working
	const guardContext = await browser.newContext();
	const guard = await guardContext.newPage();
	await enrolPage(guard, ORIGIN, code);
	const paper = await issue(DATA_DIR, { kind: 'paper' });

	// the venue's devices: listed with last sync, then revoked after a confirm step
	await admin.getByRole('link', { name: '查看“南山图书馆 Nanshan Library”的扫码设备' }).click();
	await expect(admin).toHaveURL(/\/console\/credentials\?venue=demo-library$/);
	await expect(admin.getByText('仅显示“南山图书馆 Nanshan Library”的扫码设备。')).toBeVisible();
	const device = admin.locator(`tr[data-device="${deviceId}"]`);
	await expect(device.locator('[data-status]')).toHaveText('✓ 有效');
	await expect(admin.locator('tr[data-device]').filter({ hasNotText: '南山图书馆' })).toHaveCount(0);
	await axe(admin);
	await admin.getByRole('button', { name: `吊销“南山图书馆 Nanshan Library”的设备 ${deviceId}` }).click();
	await admin.getByRole('button', { name: '确认吊销' }).click();
	await expect(device.locator('[data-status]')).toHaveText(new RegExp(`^✕ 已吊销（.+，${adminName}）$`));

	// the scanner: its scan is recorded on the device, the upload is refused and the page says why
	expect(await wedgeScan(guard, paper.qr)).toMatchObject({ verdict: 'valid', recorded: 'true' });
	await dismiss(guard);
	await expect(guard.getByTestId('sync-error')).toHaveText(
		scanner['zh-CN']['log.sync-stopped'].replace('{{detail}}', errors['zh-CN']['device/revoked'])
	);
	await guardContext.close();

	// English
	await admin.getByRole('button', { name: 'English' }).click();
	await expect(admin.getByText('Showing the scanner devices of “南山图书馆 Nanshan Library” only.')).toBeVisible();
	await axe(admin);
	await admin.goto(`${ORIGIN}/console/venues`);
	await expect(admin.locator('tr[data-venue="demo-library"] [data-policy]')).toHaveText('Green code only');
	await axe(admin);
	await admin.context().close();
});

test('a viewer sees the pages read-only; the server refuses their changes with staff/forbidden', async ({ browser }) => {
	const viewerName = `people.viewer${suffix()}`;
	addStaff(viewerName, 'viewer');
	const viewer = await signIn(browser, viewerName);
	await expect(viewer.locator('[data-role="viewer"]')).toHaveText('角色：查看员');
	const readOnly = `您的角色（查看员）只能查看此页，不能更改。`;
	for (const [link, heading] of [
		['工作人员', '工作人员与角色'],
		['签发密钥', '签发密钥与信任列表'],
		['场所与扫码设备', '场所与扫码设备'],
		['设备与密钥', '扫码设备与数据源密钥']
	] as const) {
		await nav(viewer, link).click();
		await expect(viewer.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		await expect(viewer.locator('[data-read-only]')).toHaveText(readOnly);
		await expect(viewer.getByRole('button', { name: /添加|停用|吊销|生成|轮换|标记泄露|编辑|更改角色/ })).toHaveCount(0);
		await axe(viewer);
	}

	// the API: reads are fine, every change is 403 staff/forbidden naming the role and what it needs
	const req = viewer.request;
	expect((await req.get(`${ORIGIN}/api/v1/console/staff`)).status()).toBe(200);
	for (const [path, data, need] of [
		['/api/v1/console/staff', { username: 'sneaky.one', role: 'admin' }, 'admin'],
		['/api/v1/console/venues/demo-library/guards', undefined, 'admin'],
		['/api/v1/console/keys/rotate', { region: '440300', confirm: '440300' }, 'admin'],
		['/api/v1/console/risk-areas', { name: 'x' }, 'officer'],
		['/api/v1/console/proposals/nope/approve', undefined, 'approver']
	] as const) {
		const r = await req.post(`${ORIGIN}${path}`, { data, headers: { origin: ORIGIN } });
		expect(r.status(), path).toBe(403);
		expect(await r.json(), path).toMatchObject({ code: 'staff/forbidden', params: { role: 'viewer', need } });
	}
	// an officer is refused what only an admin may do
	const officerName = `people.officer${suffix()}`;
	addStaff(officerName, 'officer');
	const officer = await signIn(browser, officerName);
	const refused = await officer.request.post(`${ORIGIN}/api/v1/console/source-keys`, {
		data: { source: 'health' },
		headers: { origin: ORIGIN }
	});
	expect(refused.status()).toBe(403);
	await officer.goto(`${ORIGIN}/console/staff`);
	await expect(officer.locator('[data-read-only]')).toHaveText('您的角色（经办员）只能查看此页，不能更改。');

	// the message the page shows for a refusal, in both languages
	expect(errors['zh-CN']['staff/forbidden']).toContain('{{need}}');
	await viewer.getByRole('button', { name: 'English' }).click();
	await expect(viewer.locator('[data-read-only]')).toHaveText('Your role (viewer) may view this page but not change anything on it.');
	await axe(viewer);
	await viewer.context().close();
	await officer.context().close();
});

test('the keys page: the trust list, and a typed confirmation before a key is marked compromised', async ({ browser }) => {
	const adminName = `people.keys${suffix()}`;
	addStaff(adminName, 'admin');
	const admin = await signIn(browser, adminName);
	await nav(admin, '签发密钥').click();
	await expect(admin.getByRole('heading', { name: '签发密钥与信任列表', level: 1 })).toBeVisible();
	await expect(admin.locator('[data-version]')).toHaveText(/^当前提供的信任列表：第 \d+ 版$/);
	const signing = admin.locator('tr[data-kid]').filter({ has: admin.locator('[data-signing]', { hasText: '是' }) });
	await expect(signing).toHaveCount(1);
	const kid = (await signing.getAttribute('data-kid'))!;
	await expect(signing.locator('[data-status]')).toHaveText('✓ 有效');
	await axe(admin);

	// compromise: the confirm button stays disabled until the kid is typed exactly; cancelling changes nothing
	const open = admin.getByRole('button', { name: `将密钥 ${kid} 标记为已泄露` });
	await open.click();
	const confirm = admin.getByRole('region', { name: `将密钥 ${kid} 标记为已泄露` });
	await expect(admin.locator('#confirm-heading')).toBeFocused();
	const yes = confirm.getByRole('button', { name: '确认标记泄露' });
	await expect(yes).toBeDisabled();
	await confirm.getByLabel(`输入密钥编号 ${kid} 以确认`).fill(kid.slice(0, 15));
	await expect(yes).toBeDisabled();
	await axe(admin);
	await confirm.getByRole('button', { name: '取消' }).click();
	await expect(confirm).toBeHidden();
	await expect(open).toBeFocused();
	await expect(signing.locator('[data-status]')).toHaveText('✓ 有效');

	// the server checks the typed confirmation too
	const wrong = await admin.request.post(`${ORIGIN}/api/v1/console/keys/${kid}/compromise`, {
		data: { confirm: 'yes' },
		headers: { origin: ORIGIN }
	});
	expect(wrong.status()).toBe(400);
	expect(((await wrong.json()) as { code: string }).code).toBe('key/confirm-mismatch');

	// rotation: the button waits for the region typed again
	const rotate = admin.getByRole('button', { name: '轮换密钥' });
	await expect(rotate).toBeDisabled();
	await admin.getByLabel(/再次输入地区代码 \d{6} 以确认/).fill('440300');
	await expect(rotate).toBeEnabled();

	await admin.getByRole('button', { name: 'English' }).click();
	await expect(admin.getByRole('heading', { name: 'Issuer keys and the trust list', level: 1 })).toBeVisible();
	await expect(admin.locator(`tr[data-kid="${kid}"] [data-status]`)).toHaveText('✓ Active');
	await axe(admin);
	await admin.context().close();
});
