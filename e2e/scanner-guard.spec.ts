/**
 * Issue 16, the guard's side of /scan (shared webServer, zh-CN and en): the online/offline indicator and list
 * ages; no stale "update failed" after reconnecting; refusals that state the venue's rule (hospital, library);
 * the market's yellow registration — validated in the guard's language, stored in the scan log, synced and
 * stored on the server with the phone sealed; "issued N h ago"; a damaged TXE1 code; enrolment by camera (fake
 * video); axe 0 on every state in both languages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserType, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPhone } from '../src/lib/server/crypto/phone-seal.js';
import { phoneKey } from '../src/lib/server/secrets.js';
import { enrol, issue, liveQr } from './scanner/codes.js';
import { dismiss, enrolPage, pendingCount, readVerdict, wedgeScan } from './scanner/page.js';
import { writeQrY4m } from './scanner/y4m.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const VIDEO_DIR = join(import.meta.dirname, '..', 'test-results', 'scanner-guard-videos');

async function axe(page: Page): Promise<void> {
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
}

/** Switches to English; a DOM click, because a verdict on screen covers the page's language switch. */
async function english(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'English' }).dispatchEvent('click');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
}

/** The server's stored registration of a scan (read-only SQLite of the shared webServer's DATA_DIR). */
function storedRegistration(eventId: string): { name: string | null; phoneEnc: string | null; at: number | null } | undefined {
	const db = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true, fileMustExist: true });
	try {
		return db
			.prepare(
				'SELECT registration_name AS name, registration_phone_enc AS phoneEnc, registration_at AS at FROM scan_events WHERE event_id = ?'
			)
			.get(eventId) as { name: string | null; phoneEnc: string | null; at: number | null } | undefined;
	} finally {
		db.close();
	}
}

interface OutboxRow {
	eventId: string;
	state: string;
	registration?: { name: string; phone: string; at: number };
}

async function outboxRow(page: Page, seq: number): Promise<OutboxRow> {
	return page.evaluate(
		(s) =>
			new Promise<OutboxRow>((resolve, reject) => {
				const open = indexedDB.open('tongxing-scanner');
				open.onsuccess = () => {
					const req = open.result.transaction('outbox').objectStore('outbox').index('seq').get(s);
					req.onsuccess = () => resolve(req.result as OutboxRow);
					req.onerror = () => reject(new Error(String(req.error)));
				};
				open.onerror = () => reject(new Error(String(open.error)));
			}),
		seq
	);
}

test.describe('guard scanner, issue 16', () => {
	test('online/offline indicator and list ages; a failed update is worded, and gone after reconnecting', async ({ page, context }) => {
		await enrolPage(page, ORIGIN, enrol(DATA_DIR, 'demo-library').code);
		const conn = page.getByTestId('connection');
		await expect(conn).toHaveAttribute('data-online', 'true');
		await expect(conn).toHaveText('在线');
		await expect(page.getByTestId('age-trust')).toHaveText(/密钥：\d+ (秒|分钟)前签发/);
		await expect(page.getByTestId('age-status')).toHaveText(/撤销名单：\d+ (秒|分钟)前签发/);
		await expect(page.getByTestId('age-checked')).toHaveText(/上次与服务器核对：\d+ (秒|分钟)前/);
		await expect(page.getByTestId('age-trust')).toHaveAttribute('data-stale', 'false');
		await axe(page);

		// The server unreachable while the browser thinks it is online: the failure is worded, never "Failed to fetch";
		// the next successful update clears it.
		const unreachable = () => page.route('**/.well-known/tongxing/trust-list', (route) => route.abort('connectionrefused'));
		await unreachable();
		await page.getByRole('button', { name: '立即更新' }).click();
		await expect(page.getByText(/更新失败：无法连接服务器/)).toBeVisible();
		await expect(page.locator('body')).not.toContainText('Failed to fetch');
		await page.unroute('**/.well-known/tongxing/trust-list');
		await page.getByRole('button', { name: '立即更新' }).click();
		await expect(page.getByText(/更新失败/)).toBeHidden();

		// Failed, then offline, then back online: the indicator says offline, and no stale error survives reconnecting.
		await unreachable();
		await page.getByRole('button', { name: '立即更新' }).click();
		await expect(page.getByText(/更新失败：/)).toBeVisible();
		await context.setOffline(true);
		await expect(conn).toHaveAttribute('data-online', 'false');
		await expect(conn).toHaveText('离线');
		await expect(page.getByText(/更新失败：/)).toBeHidden();
		await expect(page.getByText('离线：继续使用本机已存的密钥与名单')).toBeVisible();
		await axe(page);

		await page.unroute('**/.well-known/tongxing/trust-list');
		await context.setOffline(false);
		await expect(conn).toHaveAttribute('data-online', 'true');
		await expect(page.getByTestId('age-checked')).toHaveText(/上次与服务器核对：\d+ 秒前/);
		await expect(page.getByText(/更新失败/)).toBeHidden();
		await expect(page.locator('body')).not.toContainText('Failed to fetch');

		await english(page);
		await expect(conn).toHaveText('Online');
		await expect(page.getByTestId('age-trust')).toHaveText(/Keys: signed \d+ (s|min) ago/);
		await context.setOffline(true);
		await expect(conn).toHaveText('Offline');
		await axe(page);
		await context.setOffline(false);
	});

	test('refusals state the venue rule: hospital and library; "issued N h ago" from the code', async ({ page, browser }) => {
		const yellow = await issue(DATA_DIR, { kind: 'paper', colour: 'yellow', validSeconds: 24 * 3600 });
		const green = await issue(DATA_DIR, { kind: 'paper', validSeconds: 24 * 3600 });
		await enrolPage(page, ORIGIN, enrol(DATA_DIR, 'demo-hospital').code);
		await expect(page.getByTestId('venue-rule')).toHaveText('本场所仅允许绿码且 48 小时内核酸阴性进入');
		expect(await wedgeScan(page, yellow.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
		await expect(page.getByTestId('reason')).toHaveText('不是绿码');
		await expect(page.getByTestId('policy-rule')).toHaveText('本场所仅允许绿码且 48 小时内核酸阴性进入');
		await expect(page.getByTestId('announce')).toContainText('本场所仅允许绿码且 48 小时内核酸阴性进入');
		await expect(page.getByTestId('issued')).toHaveText(/此码 \d+ (秒|分钟)前签发/);
		await axe(page);
		await dismiss(page);
		expect(await wedgeScan(page, green.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
		await expect(page.getByTestId('reason')).toHaveText('码内无核酸阴性记录');
		await expect(page.getByTestId('policy-rule')).toHaveText('本场所仅允许绿码且 48 小时内核酸阴性进入');
		await dismiss(page);

		await english(page);
		expect(await wedgeScan(page, yellow.qr)).toMatchObject({ outcome: 'refuse' });
		await expect(page.getByTestId('policy-rule')).toHaveText('This venue admits green codes with a negative test within 48 h only');
		await axe(page);
		await dismiss(page);

		// The same yellow code 3 h later (the device clock moved on; the code is still within its validity).
		await page.clock.setSystemTime(Date.now() + 3 * 3600_000 + 60_000);
		expect(await wedgeScan(page, yellow.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
		await expect(page.getByTestId('issued')).toHaveText('Code issued 3 h ago');
		await dismiss(page);
		await page.getByRole('button', { name: '中文' }).click();
		expect(await wedgeScan(page, yellow.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
		await expect(page.getByTestId('issued')).toHaveText('此码 3 小时前签发');
		await dismiss(page);

		// Another venue (another device: its own browser storage), another rule, from its policy value.
		const other = await browser.newContext();
		try {
			const library = await other.newPage();
			await enrolPage(library, ORIGIN, enrol(DATA_DIR, 'demo-library').code);
			expect(await wedgeScan(library, yellow.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
			await expect(library.getByTestId('policy-rule')).toHaveText('本场所仅允许绿码进入');
		} finally {
			await other.close();
		}
	});

	test('market: a yellow code is registered (validated, stored in the scan log, synced, sealed on the server)', async ({ page }) => {
		const yellow = await issue(DATA_DIR, { colour: 'yellow' });
		await enrolPage(page, ORIGIN, enrol(DATA_DIR, 'demo-market').code);
		await expect(page.getByTestId('venue-rule')).toHaveText('本场所允许绿码进入；黄码须登记后进入；红码不得进入');
		expect(await wedgeScan(page, await liveQr(yellow))).toMatchObject({ outcome: 'caution', verdict: 'valid', recorded: 'true' });
		await expect(page.getByTestId('reason')).toHaveText('黄码：须先登记');
		await expect(page.getByTestId('policy-rule')).toHaveText('本场所允许绿码进入；黄码须登记后进入；红码不得进入');
		const name = page.getByLabel('姓名（码上显示为 张*丰）');
		await expect(name).toBeFocused();
		await axe(page);

		// The form stays up (no dismiss timer racing it) and says what is wrong, in the guard's language.
		await page.getByRole('button', { name: '登记并放行' }).click();
		await expect(page.getByText('请填写姓名')).toBeVisible();
		await expect(page.getByText('请填写手机号')).toBeVisible();
		await axe(page);
		await english(page);
		await page.getByLabel('Phone number').fill('12ab');
		await page.getByRole('button', { name: 'Register and admit' }).click();
		await expect(page.getByText('Phone number looks wrong: 7–15 digits')).toBeVisible();
		await expect(page.getByText('Enter the name')).toBeVisible();
		await axe(page);

		await page.getByLabel('Name (the code shows 张*丰)').fill('张三丰');
		await page.getByLabel('Phone number').fill('138 0013 8000');
		await page.getByRole('button', { name: 'Register and admit' }).click();
		await expect(page.getByTestId('registered')).toHaveText(/Registered: 张三丰 · 138\*\*\*\*8000 · \d\d:\d\d/);
		await axe(page);
		await dismiss(page);

		const row = await outboxRow(page, 1);
		expect(row.registration).toMatchObject({ name: '张三丰', phone: '13800138000' });
		await expect.poll(() => pendingCount(page)).toBe(0);
		await expect.poll(() => storedRegistration(row.eventId)?.name ?? null).toBe('张三丰');
		const stored = storedRegistration(row.eventId)!;
		expect(stored.phoneEnc).not.toContain('13800138000');
		expect(openPhone(phoneKey(DATA_DIR), row.eventId, stored.phoneEnc!)).toBe('13800138000');
		expect(Number(stored.at)).toBe(row.registration!.at);
	});

	test('enrolment: a damaged TXE1 code says so (zh-CN, en); not-a-code stays "not an enrolment code"', async ({ page }) => {
		const { code } = enrol(DATA_DIR, 'demo-library');
		await page.goto(`${ORIGIN}/scan`);
		const field = page.getByLabel('登记码');
		await field.fill(code.slice(0, -7));
		await page.getByRole('button', { name: '登记', exact: true }).click();
		await expect(page.getByTestId('enrol-error')).toHaveText('▲ 登记码已损坏或已过期：请向主管部门索取新的登记码');
		await axe(page);
		await field.fill('TX1:NOTANENROLMENT');
		await page.getByRole('button', { name: '登记', exact: true }).click();
		await expect(page.getByTestId('enrol-error')).toHaveText(/这不是登记码/);
		await english(page);
		await page.getByLabel('Enrolment code').fill('TXE1:' + code.slice(5, 40));
		await page.getByRole('button', { name: 'Enrol', exact: true }).click();
		await expect(page.getByTestId('enrol-error')).toHaveText(
			'▲ This enrolment code is damaged or expired: ask the authority for a new one'
		);
		await axe(page);
	});

	test('enrolment by camera: the TXE1 QR in front of the (fake) camera enrols the device', async ({ playwright }) => {
		mkdirSync(VIDEO_DIR, { recursive: true });
		const { code } = enrol(DATA_DIR, 'demo-station');
		const video = join(VIDEO_DIR, 'enrolment.y4m');
		writeQrY4m(video, code, { scale: 4 });
		const browser = await launchWithCamera(playwright.chromium, video);
		try {
			const context = await browser.newContext({ permissions: ['camera'] });
			const page = await context.newPage();
			await page.goto(`${ORIGIN}/scan`);
			await page.getByRole('button', { name: '用摄像头扫描登记码' }).click();
			await expect(page.getByTestId('venue')).toContainText('深圳北站', { timeout: 30_000 });
			await expect(page.getByTestId('venue-rule')).toHaveText('本场所仅允许绿码且 72 小时内核酸阴性进入');
			await expect(page.getByTestId('trust-age')).toHaveAttribute('data-version', /\d+/);
			const paper = await issue(DATA_DIR, { kind: 'paper', negativeTestAt: Math.floor(Date.now() / 1000) - 3600 });
			expect(await wedgeScan(page, paper.qr)).toMatchObject({ outcome: 'admit', verdict: 'valid' });
			expect(await readVerdict(page)).toMatchObject({ recorded: 'true' });
		} finally {
			await browser.close();
		}
	});
});

function launchWithCamera(chromium: BrowserType, y4m: string): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--no-first-run',
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${y4m}`
		]
	});
}
