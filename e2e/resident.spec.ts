/**
 * The resident PWA in real Chromium against its own `node build` (so it can be stopped for real):
 * sign in → declare → live code; server down + offline + reload → the code still shows and verifies with
 * `tongxing verify`; reconnect → a new code is fetched; live proof renews every 30 s and the old one is stale
 * (fake clock); past validity the expired state; a proxy member's code; the paper code; history and appeal;
 * axe-core on every page; the database upgrade from version 2. One signed-in browser context is shared, in order.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { join } from 'node:path';
import {
	cliVerify,
	coreVerify,
	decodeQr,
	pickRegion,
	ROOT,
	scannedAt,
	signInUi,
	startServer,
	waitForServiceWorker,
	type Server
} from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 10;
const DATA_DIR = join(ROOT, 'test-results', `resident-data-${PORT}`);
let server: Server;
let context: BrowserContext;
let page: Page;

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async ({ browser }) => {
	server = await startServer(PORT, DATA_DIR, { fresh: true });
	context = await browser.newContext({ baseURL: server.origin });
	page = await context.newPage();
});

test.afterAll(async () => {
	await context.close();
	await server.stop();
});

test('sign in → declare (field errors) → the live code, which `tongxing verify` accepts', async () => {
	await page.goto('/app');
	await waitForServiceWorker(page);
	await expect(page.locator('[data-state="none"]')).toHaveText('本设备上还没有健康码。');
	await axe(page);

	await signInUi(page, server.origin, '13800138000');
	await expect(page).toHaveURL(/\/app\/declare$/);
	await axe(page);
	await page.getByLabel('姓名').fill('张伟');
	await page.getByLabel('证件号码').fill('440305199003071235');
	await page.getByLabel('手机号码').fill('13800138000');
	await pickRegion(page, '440305');
	await page.getByLabel('详细地址').fill('科技园 1 栋');
	await page.getByLabel('今日体温（°C）').fill('36.6');
	await page.getByLabel('以上均无').check();
	await page.getByRole('button', { name: '提交申报' }).click();
	// The shared schema, on the device: the wrong check digit is reported on its field, in Chinese.
	await expect(page.locator('#e-idNumber')).toHaveText('身份证号码校验位不符，请核对是否输错');
	await expect(page.getByLabel('证件号码')).toHaveAttribute('aria-invalid', 'true');
	await axe(page);
	await page.getByLabel('证件号码').fill('440305199003071236');
	await page.getByRole('button', { name: '提交申报' }).click();

	await expect(page).toHaveURL(/\/app$/);
	const qr = page.getByTestId('live-qr');
	await expect(qr).toHaveAttribute('aria-label', /^健康码二维码，绿码，张\*，有效期至 /);
	await expect(page.locator('[data-colour="green"]').first()).toContainText('绿码');
	await expect(page.getByTestId('updated')).toHaveText('刚刚更新');
	await expect(page.getByTestId('storage')).toBeVisible();
	const text = await decodeQr(page, qr);
	expect(await coreVerify(server.origin, text, scannedAt(text))).toMatchObject({
		verdict: 'valid',
		reason: 'ok',
		claims: { colour: 'green', maskedName: '张*', kind: 'phone' }
	});
	await axe(page);
	// English, announced in the live region.
	await page.getByRole('button', { name: 'English' }).click();
	await expect(qr).toHaveAttribute('aria-label', /^Health code QR, Green code, 张\*, valid until /);
	await expect(page.getByTestId('announce')).toContainText('张*: Green code, valid until');
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
});

test('server stopped and the context offline: reload, the code still shows and verifies; reconnect fetches the new code', async () => {
	await server.stop();
	await context.setOffline(true);
	await page.reload();
	const qr = page.getByTestId('live-qr');
	// Waits for states the page reaches, not for a fixed time: the cached code drawn from IndexedDB, then the
	// note (shown when the browser reports no link or when the first sync round after the reload failed to
	// reach the server). Generous timeouts: on a loaded machine a reload through the service worker alone
	// can take several seconds.
	await expect(qr).toHaveAttribute('aria-label', /绿码/, { timeout: 30_000 });
	await expect(page.getByTestId('offline')).toHaveText(/^离线：显示本设备保存的健康码，(不到 1 分钟前更新|\d+ 分钟前更新)$/, {
		timeout: 30_000
	});
	// the saved code's age is in the note; "just updated" would read as if the connection were fine
	await expect(page.getByTestId('updated')).toHaveCount(0);
	const text = await decodeQr(page, qr);
	// As a guard's scanner would at that moment (the CLI takes seconds to start on a loaded machine).
	const shownAt = scannedAt(text);
	expect(cliVerify(DATA_DIR, text, shownAt)).toMatchObject({ verdict: 'valid', reason: 'ok' });

	// Back up, same data: a new declaration (fever) makes the issuer revoke the green code and issue yellow.
	server = await startServer(PORT, DATA_DIR);
	const declared = await context.request.post('/api/v1/declarations', {
		headers: { origin: server.origin },
		data: {
			name: '张伟',
			idNumber: '440305199003071236',
			phone: '13800138000',
			region: '440305',
			addressDetail: '科技园 1 栋',
			temperature: 38.2,
			symptoms: ['fever'],
			travel: []
		}
	});
	expect(declared.status()).toBe(201);
	await context.setOffline(false);
	await expect(page.locator('[data-colour="yellow"]').first()).toContainText('黄码', { timeout: 15_000 });
	await expect(page.getByTestId('reasons').getByText('申报发热', { exact: true })).toBeVisible();
	// the way back computed for this person: the fever rule's one negative test, not a fixed sentence
	await expect(page.getByTestId('way-back')).toContainText('1 次核酸检测阴性');
	await expect(page.getByTestId('green-outlook')).toHaveText('完成上述检测（还需 1 次）后转为绿码。');
	const yellow = await decodeQr(page, page.getByTestId('live-qr'));
	expect(await coreVerify(server.origin, yellow, scannedAt(yellow))).toMatchObject({ verdict: 'valid', claims: { colour: 'yellow' } });
	// The green code the phone showed offline is now revoked (checked at the time it was shown).
	expect((await coreVerify(server.origin, text, shownAt)).reason).toBe('revoked');
	await axe(page);
});

test('a proxy member: confirmed by a code to their own phone, switched to, and the code tells the guard it is presented by proxy', async () => {
	await page.goto('/app/members');
	await axe(page);
	await page.getByLabel('成员姓名').fill('李娜');
	await page.getByLabel('成员居民身份证号码').fill('440304198511124567');
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.locator('#me-evidence')).toBeVisible();
	await page.getByRole('radio', { name: '成员本人手机验证码' }).check();
	await page.getByLabel('成员本人的手机号码').fill('13900139000');
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.getByRole('alert')).toContainText('如信息相符，验证码已发送到成员本人的手机');
	// nothing of the member is shown until the code confirms the link (member-consent.spec.ts covers the rest)
	await expect(page.getByRole('link', { name: '出示此码' })).toHaveCount(0);
	let sms = '';
	await expect
		.poll(async () => {
			const r = (await (await page.request.get(`${server.origin}/api/v1/dev/outbox?phone=13900139000`)).json()) as {
				messages: { text: string }[];
			};
			return (sms = r.messages[0]?.text ?? '');
		})
		.toContain('张* 申请将您添加为家庭成员');
	await page.getByLabel('李* 手机收到的验证码（6 位数字）').fill(/\b(\d{6})\b/.exec(sms)![1]!);
	await page.getByRole('button', { name: '确认' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已添加 李*' })).toBeVisible();
	await page.getByRole('link', { name: '出示此码' }).click();
	await expect(page).toHaveURL(/\/app\?member=/);
	await expect(page.getByText('代为出示：由 张* 代 李* 出示')).toBeVisible();
	const text = await decodeQr(page, page.getByTestId('live-qr'));
	expect(await coreVerify(server.origin, text, scannedAt(text))).toMatchObject({
		verdict: 'valid',
		claims: { kind: 'proxy', maskedName: '李*', proxyName: '张*' }
	});
	await axe(page);
	// Switch back to oneself.
	await page.getByRole('navigation', { name: '出示谁的码' }).getByRole('link', { name: '本人' }).click();
	await expect(page.getByRole('heading', { level: 2, name: '张*' })).toBeVisible();
});

test('the printable paper code: static, masked, valid, with instructions', async () => {
	await page.goto('/app/paper');
	await page.getByRole('button', { name: '生成纸质码' }).click();
	const paper = page.getByTestId('paper');
	await expect(paper).toContainText('张*');
	await expect(paper).toContainText('****1236');
	await expect(paper).toContainText('使用说明');
	await axe(page);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: '居民应用' })).toBeHidden();
	await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
	const text = await decodeQr(page, paper.getByRole('img', { name: /^纸质健康码二维码/ }));
	expect(await coreVerify(server.origin, text)).toMatchObject({ verdict: 'valid', claims: { kind: 'paper', colour: 'yellow' } });
	await page.emulateMedia({ media: 'screen' });
});

test('colour history with reasons, and an appeal with its status', async () => {
	await page.goto('/app/history');
	const rows = page.getByRole('row');
	await expect(rows.nth(1)).toContainText('黄码');
	await expect(rows.nth(1)).toContainText('申报发热');
	await expect(rows.nth(2)).toContainText('无异常信息');
	await page.getByLabel('申诉理由（5–1000 字）').fill('体温计故障，已复测 36.6');
	await page.getByRole('button', { name: '提交申诉' }).click();
	await expect(page.getByTestId('appeals')).toContainText('处理中');
	await axe(page);
	await page.goto('/app/signin');
	await axe(page);
});

// The fake clock belongs to the whole browser context, and this one jumps two days ahead: last on `context`.
test('the live QR renews every 30 s on the device; the old one is a stale proof; past validity it says expired', async () => {
	const clocked = await context.newPage();
	// Paused: time moves only when the test moves it, whatever the machine's load — but only once the page's sync has
	// measured its clock against the server's (running together, no correction); a clock paused before would be
	// corrected by however long the page took to load.
	const start = Date.now();
	await clocked.clock.install({ time: start });
	const synced = clocked.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/me/codes');
	await clocked.goto('/app');
	await synced;
	await clocked.clock.pauseAt(Date.now() + 1000);
	const qr = clocked.getByTestId('live-qr');
	await expect(qr).toHaveAttribute('data-step', /^[1-9]/);
	const first = await decodeQr(clocked, qr);
	const firstStep = await qr.getAttribute('data-step');
	await clocked.clock.fastForward(60_000);
	await expect(qr).not.toHaveAttribute('data-step', firstStep!);
	const second = await decodeQr(clocked, qr);
	expect(second).not.toBe(first);
	// verified when a guard would scan the new QR: the middle of its step
	const at = scannedAt(second);
	expect(await coreVerify(server.origin, first, at)).toMatchObject({ verdict: 'invalid', reason: 'stale-live-proof' });
	expect(await coreVerify(server.origin, second, at)).toMatchObject({ verdict: 'valid' });

	// Past the validity of the current and the pre-issued next code (24 h each, overlapping): no colour, no QR.
	// Offline for those two days: online, the next sync would correct the jumped clock by the server's time.
	await context.setOffline(true);
	await clocked.clock.fastForward(49 * 3_600_000);
	await expect(clocked.locator('[data-state="expired"]')).toContainText('健康码已过期，请联网刷新');
	await expect(clocked.getByTestId('live-qr')).toHaveCount(0);
	await expect(clocked.locator('[data-colour]')).toHaveCount(0);
	// axe-core schedules work with timers: let time run again.
	await clocked.clock.resume();
	await axe(clocked);
	await clocked.close();
	await context.setOffline(false);
});

test('signing out forgets the codes on this device', async ({ browser }) => {
	// A second device for the same person (it takes over the account's device binding, so it runs last):
	// signing out there leaves nothing behind.
	const other = await browser.newContext({ baseURL: server.origin });
	const p = await other.newPage();
	await signInUi(p, server.origin, '13800138000');
	await expect(p).toHaveURL(/\/app$/);
	await expect(p.getByTestId('live-qr')).toBeVisible();
	// The first phone learns on its next sync that the account moved, and says so.
	await page.goto('/app');
	await expect(page.getByText('本账户已在另一台手机上登录')).toBeVisible({ timeout: 15_000 });
	await p.getByRole('button', { name: '退出登录' }).click();
	await expect(p.locator('[data-state="none"]')).toBeVisible();
	await p.reload();
	await expect(p.locator('[data-state="none"]')).toBeVisible();
	expect(
		await p.evaluate(
			() =>
				new Promise<number>((done) => {
					const open = indexedDB.open('tongxing-resident');
					open.onsuccess = () => {
						const count = open.result.transaction('people').objectStore('people').count();
						count.onsuccess = () => done(count.result);
					};
				})
		)
	).toBe(0);
	await other.close();
});

test('an app updated from database version 2 drops the unused documents table and keeps the codes', async ({ browser }) => {
	const fresh = await browser.newContext({ baseURL: server.origin });
	const p = await fresh.newPage();
	// Any page that does not open the resident database: build version 2 by hand, as the previous app left it
	// (Dexie stores version n as IndexedDB version 10·n), with a person and a downloaded document.
	await p.goto('/');
	await p.evaluate(
		() =>
			new Promise<void>((done, fail) => {
				const open = indexedDB.open('tongxing-resident', 20);
				open.onupgradeneeded = () => {
					const db = open.result;
					db.createObjectStore('people', { keyPath: 'personId' }).createIndex('order', 'order');
					db.createObjectStore('keys', { keyPath: 'id' });
					db.createObjectStore('sync', { keyPath: 'id' });
					db.createObjectStore('documents', { keyPath: 'id' });
					db.createObjectStore('liveQr', { keyPath: 'step' });
				};
				open.onerror = () => fail(new Error(String(open.error)));
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['people', 'documents'], 'readwrite');
					tx.objectStore('people').put({ personId: 'p1', relation: 'self', maskedName: '李*', codes: [], declaration: null, order: 0 });
					tx.objectStore('documents').put({ id: 'config', bytes: new Uint8Array([1]), fetchedAt: 0, etag: null });
					tx.oncomplete = () => {
						db.close();
						done();
					};
				};
			})
	);
	await p.goto('/app');
	await expect(p.locator('[data-state="none"]')).toBeVisible({ timeout: 30_000 });
	const after = await p.evaluate(
		() =>
			new Promise<{ version: number; stores: string[]; people: number }>((done) => {
				const open = indexedDB.open('tongxing-resident');
				open.onsuccess = () => {
					const db = open.result;
					const count = db.transaction('people').objectStore('people').count();
					count.onsuccess = () => done({ version: db.version, stores: [...db.objectStoreNames], people: count.result });
				};
			})
	);
	expect(after).toEqual({ version: 30, stores: ['keys', 'liveQr', 'people', 'sync'], people: 1 });
	await fresh.close();
});
