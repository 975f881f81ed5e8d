/**
 * Version skew (catalogue case 23): a server that no longer accepts this app's contract version
 * (TONGXING_MIN_CLIENT_VERSION above core/contract/client-version.ts CONTRACT_VERSION) answers every app call
 * `426 client/upgrade-required`; the resident app and the scanner say "too old: reopen to update" in words, and the
 * scanner keeps its scans on the device. Callers without the header (data sources, scripts) are not apps and are
 * answered as before.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { ROOT, startServer, type Server } from './resident-helpers';
import { enrol, issue } from './scanner/codes.js';
import { dismiss, enrolPage, pendingCount, wedgeScan } from './scanner/page.js';
import { CLIENT_VERSION_HEADER, CONTRACT_VERSION } from '../src/lib/core/contract/client-version.js';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 13;
const DATA_DIR = join(ROOT, 'test-results', `version-skew-data-${PORT}`);
let server: Server;

test.describe.configure({ mode: 'serial', timeout: 90_000 });
test.beforeAll(async () => {
	server = await startServer(PORT, DATA_DIR, { fresh: true, env: { TONGXING_MIN_CLIENT_VERSION: String(CONTRACT_VERSION + 1) } });
});
test.afterAll(async () => {
	await server.stop();
});

test('the API answers an old app 426 client/upgrade-required, and a caller without the header as before', async () => {
	const old = await fetch(`${server.origin}/api/v1/config`, { headers: { [CLIENT_VERSION_HEADER]: String(CONTRACT_VERSION) } });
	expect(old.status).toBe(426);
	expect(await old.json()).toMatchObject({ code: 'client/upgrade-required', status: 426 });
	expect((await fetch(`${server.origin}/api/v1/config`)).status).toBe(200);
});

test('the resident app says it is too old instead of failing silently', async ({ page }) => {
	await page.goto(`${server.origin}/app/signin`);
	// typed again on each try: a fill that lands before the page hydrated is reset (see signInUi)
	await expect(async () => {
		await page.getByLabel('手机号码').fill('13800138000');
		await expect(page.getByLabel('手机号码')).toHaveValue('13800138000');
		await page.getByRole('button', { name: '获取验证码' }).click();
		await expect(page.getByRole('alert')).toContainText('此应用版本过旧', { timeout: 5_000 });
	}).toPass({ timeout: 30_000, intervals: [1_000] });
	await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'client/upgrade-required');
});

test('the scanner says it is too old, and keeps its scans on the device', async ({ page }) => {
	const paper = await issue(DATA_DIR, { kind: 'paper' });
	const { code } = enrol(DATA_DIR, 'demo-library');
	await enrolPage(page, server.origin, code);
	expect(await wedgeScan(page, paper.qr)).toMatchObject({ verdict: 'valid', recorded: 'true' });
	await dismiss(page);
	await expect(page.getByTestId('sync-error')).toContainText('此应用版本过旧', { timeout: 20_000 });
	expect(await pendingCount(page)).toBe(1);
});
