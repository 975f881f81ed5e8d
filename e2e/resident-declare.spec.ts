/**
 * The resident app without friction (issue 16). The declaration: the place is picked province → city → district or
 * found by search (by keyboard alone), the 6-digit code is what is submitted; the phone comes from the sign-in; a
 * re-declaration starts from the last one; an ID number not in the local household register gets a next step. The
 * paper code lasts the paper policy (7 days) and says its end date and what to do then. The storage notice
 * explains itself once, then is a one-line status. The demo sign-in says where the code is; the footer shows a
 * human version; English dates read the British way. zh-CN and English, axe 0.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreVerify, decodeQr, ROOT, signInUi, startServer, type Server } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 50;
const DATA_DIR = join(ROOT, 'test-results', `resident-declare-data-${PORT}`);
const PHONE = '13800138000';
let server: Server;
let page: Page;

test.describe.configure({ mode: 'serial', timeout: 180_000 });
const SEMVER = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const EN_TIME = /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/;

test.beforeAll(async ({ browser }) => {
	server = await startServer(PORT, DATA_DIR, { fresh: true });
	const context = await browser.newContext({ baseURL: server.origin });
	// The browser refuses persistent storage (as most do for a site not installed): the notice's case.
	await context.addInitScript(() => {
		Object.defineProperty(navigator.storage, 'persisted', { value: () => Promise.resolve(false) });
		Object.defineProperty(navigator.storage, 'persist', { value: () => Promise.resolve(false) });
	});
	page = await context.newPage();
});
test.afterAll(async () => {
	await page.context().close();
	await server.stop();
});

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('demo sign-in says where the one-time code is; the footer shows the release and build day', async () => {
	await page.goto('/app/signin');
	const hint = page.getByTestId('demo-hint');
	await expect(hint).toContainText('演示模式：不发送真实短信。验证码在演示短信发件箱中');
	await expect(hint.getByRole('link')).toHaveAttribute('href', '/api/v1/dev/outbox');
	await page.getByLabel('手机号码').fill(PHONE);
	await expect(hint.getByRole('link')).toHaveAttribute('href', `/api/v1/dev/outbox?phone=${PHONE}`);
	await expect(page.getByTestId('app-version')).toHaveText(new RegExp(`^版本 ${SEMVER.replaceAll('.', '\\.')} · \\d{4}/\\d{2}/\\d{2}$`));
	await axe(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(hint).toContainText('Demo mode: no real SMS is sent. The one-time code is in the demo SMS outbox');
	await expect(page.getByTestId('app-version')).toHaveText(
		new RegExp(`^Version ${SEMVER.replaceAll('.', '\\.')} · \\d{1,2} [A-Z][a-z]{2} \\d{4}$`)
	);
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
	await page.getByLabel('手机号码').fill('');
});

test('first declaration: phone from the sign-in, the place found by keyboard search, an unregistered ID gets a next step', async () => {
	await signInUi(page, server.origin, PHONE);
	await expect(page).toHaveURL(/\/app\/declare$/);
	await expect(page.getByLabel('手机号码')).toHaveValue(PHONE);
	await expect(page.getByText('手机号码已按登录号码预先填写。')).toBeVisible();
	await axe(page);

	// Search and choose without a mouse: type, Tab to the first result, Enter.
	const search = page.getByLabel('搜索地区（名称或 6 位代码）');
	await search.focus();
	await page.keyboard.type('深圳 南山');
	await expect(page.getByRole('status').filter({ hasText: '找到 1 个地区' })).toBeVisible();
	await axe(page);
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: /广东省 深圳市 南山区 440305/ })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('#h-region')).toHaveText('已选：广东省 深圳市 南山区（代码 440305）');
	await expect(page.getByLabel('省/自治区/直辖市')).toHaveValue('440000');
	await expect(page.getByLabel('城市')).toHaveValue('440300');
	await expect(page.getByLabel('区/县')).toHaveValue('440305');
	await expect(page.getByLabel('区/县')).toBeFocused();

	await page.getByLabel('姓名').fill('张伟');
	// A valid number (check digit right) that the local household register does not hold.
	await page.getByLabel('证件号码').fill('440305199003071244');
	await page.getByLabel('详细地址').fill('科技园 1 栋');
	await page.getByLabel('今日体温（°C）').fill('36.6');
	await page.getByLabel('以上均无').check();
	await page.getByRole('button', { name: '提交申报' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('本地户籍登记中没有这个证件号');
	await expect(alert).toContainText('请核对证件号码是否输错');
	await expect(alert).toContainText('户籍所在地区的健康码系统申报');
	await axe(page);

	await page.getByLabel('证件号码').fill('440305199003071236');
	await page.getByRole('button', { name: '提交申报' }).click();
	await expect(page).toHaveURL(/\/app$/);
	await expect(page.getByTestId('live-qr')).toBeVisible();
	// What was submitted is the 6-digit code.
	const latest = (await (await page.request.get('/api/v1/declarations/latest')).json()) as { declaration: { data: { region: string } } };
	expect(latest.declaration.data.region).toBe('440305');
});

test('a re-declaration starts from the last one; the picker steps province → city → district (English)', async () => {
	await page.goto('/app/declare');
	await expect(page.getByTestId('prefilled')).toHaveText(/^已按你上次的申报（\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）预先填写地区、地址和症状/);
	// Name and ID number are not kept in clear anywhere: the note names the masked name to match.
	await expect(page.getByTestId('prefilled')).toContainText('请重新填写（上次为 张*）');
	await expect(page.getByLabel('姓名')).toHaveValue('');
	await expect(page.getByLabel('手机号码')).toHaveValue(PHONE);
	await expect(page.getByLabel('详细地址')).toHaveValue('科技园 1 栋');
	await expect(page.getByLabel('区/县')).toHaveValue('440305');
	await expect(page.getByLabel('以上均无')).toBeChecked();
	// Today's temperature is not carried over.
	await expect(page.getByLabel('今日体温（°C）')).toHaveValue('');

	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByTestId('prefilled')).toHaveText(
		/^Region, address and symptoms are filled in from your last declaration \(\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\)/
	);
	await axe(page);
	// By keyboard alone: type the code, Tab to the result, Enter; focus lands on the district select that now holds
	// it. (The selects' own arrow keys are the browser's: headless Chromium's select popup ignores synthetic key
	// presses — tried ArrowDown and Alt+ArrowDown, the value stays — so stepping through them is selectOption below,
	// which fires the same change event.)
	await page.getByLabel('Search for a place (Chinese name or 6-digit code)').pressSequentially('440304');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: /福田区/ })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByLabel('District or county')).toBeFocused();
	await expect(page.locator('#h-region')).toHaveText('Chosen: 广东省 深圳市 福田区 (code 440304)');
	await expect(page.getByLabel('City')).toHaveValue('440300');
	// Step by step: another province empties the city and district; a city with no districts is the place itself.
	await page.getByLabel('Province').selectOption({ label: '广东省' });
	await page.getByLabel('City').selectOption({ label: '东莞市' });
	await expect(page.getByLabel('District or county')).toBeDisabled();
	await expect(page.locator('#h-region')).toHaveText('Chosen: 广东省 东莞市 (code 441900)');
	await page.getByLabel('Province').selectOption({ label: '北京市' });
	await expect(page.locator('#h-region')).toHaveText('Search by name or code, or choose the province, city and district in turn');
	await page.getByLabel('City').selectOption({ label: '北京市' });
	await page.getByLabel('District or county').selectOption({ label: '海淀区' });
	await expect(page.locator('#h-region')).toHaveText('Chosen: 北京市 海淀区 (code 110108)');
	await page.getByLabel('Search for a place (Chinese name or 6-digit code)').fill('不存在的地方');
	await expect(page.getByRole('status').filter({ hasText: 'No district matches' })).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
	// Submitting the re-declaration needs only name, ID number and temperature typed again.
	await page.getByLabel('姓名').fill('张伟');
	await page.getByLabel('证件号码').fill('440305199003071236');
	await page.getByLabel('今日体温（°C）').fill('36.5');
	await page.getByRole('button', { name: '提交申报' }).click();
	await expect(page).toHaveURL(/\/app$/);
	const latest = (await (await page.request.get('/api/v1/declarations/latest')).json()) as { declaration: { data: { region: string } } };
	expect(latest.declaration.data.region).toBe('110108');
});

test('the storage notice explains itself once, then is a one-line status', async () => {
	await page.goto('/app');
	await expect(page.getByTestId('live-qr')).toBeVisible();
	const notice = page.getByTestId('storage');
	await expect(notice).toHaveAttribute('data-size', 'full');
	await expect(notice.getByRole('heading', { name: '离线健康码可能被浏览器清除' })).toBeVisible();
	await expect(notice).toContainText('这意味着：');
	await expect(notice).toContainText('添加到主屏幕');
	await axe(page);
	await notice.getByRole('button', { name: '知道了' }).click();
	await expect(notice).toHaveAttribute('data-size', 'small');
	await expect(notice).toHaveText('离线存储：未获准持久保存（可添加到主屏幕）');
	await page.reload();
	await expect(page.getByTestId('live-qr')).toBeVisible();
	await expect(page.getByTestId('storage')).toHaveAttribute('data-size', 'small');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByTestId('storage')).toHaveText('Offline storage: not persistent (adding to the home screen helps)');
	// English dates the British way on the code screen.
	await expect(page.getByTestId('valid-until')).toHaveText(EN_TIME);
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
});

test('the paper code lasts 7 days and says its end date and what to do when it expires', async () => {
	await page.goto('/app');
	await page.getByRole('link', { name: '打印纸质码' }).click();
	await page.getByRole('button', { name: '生成纸质码' }).click();
	const paper = page.getByTestId('paper');
	const text = await decodeQr(page, paper.getByRole('img', { name: /^纸质健康码二维码/ }));
	const verdict = await coreVerify(server.origin, text);
	expect(verdict).toMatchObject({ verdict: 'valid', claims: { kind: 'paper' } });
	const claims = (verdict as unknown as { claims: { iat: number; exp: number } }).claims;
	expect(claims.exp - claims.iat).toBe(7 * 86_400);
	const zhEnd = await page.evaluate(
		(ms) =>
			new Intl.DateTimeFormat('zh-CN', {
				timeZone: 'Asia/Shanghai',
				year: 'numeric',
				month: '2-digit',
				day: '2-digit',
				hour: '2-digit',
				minute: '2-digit',
				hour12: false
			}).format(ms),
		claims.exp * 1000
	);
	await expect(page.getByTestId('paper-valid')).toHaveText(`有效期至 ${zhEnd}（7 天）`);
	await expect(page.getByTestId('paper-expiry')).toHaveText(new RegExp(`^过期后卡口不再通过本码。请在 ${zhEnd} 前重新打印`));
	await axe(page);
	await page.getByRole('button', { name: 'English' }).click();
	const enEnd = await page.evaluate(
		(ms) =>
			new Intl.DateTimeFormat('en-GB', {
				timeZone: 'Asia/Shanghai',
				year: 'numeric',
				month: 'short',
				day: 'numeric',
				hour: '2-digit',
				minute: '2-digit',
				hour12: false
			}).format(ms),
		claims.exp * 1000
	);
	expect(enEnd).toMatch(EN_TIME);
	await expect(page.getByTestId('paper-valid')).toHaveText(`Valid until ${enEnd} (7 days)`);
	await expect(page.getByTestId('paper-expiry')).toContainText(`Print a new one before ${enEnd}`);
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
});
