/**
 * The scan log never loses a scan and never uploads one twice. Runs its own `node build` (port 4346 + its own
 * DATA_DIR) so the server can be stopped, SIGKILLed and restarted; counts rows in its SQLite database.
 * 1. online scans upload; 2. server stopped + context offline: the page opens from the service worker, scans
 * are verified and logged; server back → every scan arrives exactly once; 3. server SIGKILLed after it
 * committed a batch but before the device got the acks → re-sent, acked as duplicates, no loss, no double;
 * 4. two tabs scanning and syncing at once → one unbroken chain, no duplicates.
 */
import { expect, test, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { enrol, issue, liveQr } from './scanner/codes.js';
import { dismiss, enrolPage, pendingCount, wedgeScan } from './scanner/page.js';
import { OwnServer } from './scanner/server.js';

const PORT = Number(process.env.SCANNER_SYNC_PORT ?? Number(process.env.E2E_PORT ?? 4319) + 10);
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'scanner-sync-data');

async function scanValid(page: Page, qr: string): Promise<void> {
	expect(await wedgeScan(page, qr)).toMatchObject({ outcome: 'admit', verdict: 'valid', recorded: 'true' });
	await dismiss(page);
}

test('scan log: offline, restart, SIGKILL mid-sync, two tabs — every scan arrives exactly once', async ({ context, page }) => {
	test.setTimeout(180_000);
	rmSync(DATA_DIR, { recursive: true, force: true });
	const server = new OwnServer(PORT, DATA_DIR);
	await server.start();
	try {
		const paper = await issue(DATA_DIR, { kind: 'paper' });
		const phone = await issue(DATA_DIR);
		const enrolment = enrol(DATA_DIR, 'demo-market');
		const rows = () => server.scanRows(enrolment.deviceId);

		await test.step('online: scans upload at once', async () => {
			await enrolPage(page, server.url, enrolment.code);
			await page.evaluate(async () => {
				await navigator.serviceWorker.ready;
			});
			await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
			for (let i = 0; i < 3; i++) await scanValid(page, paper.qr);
			await expect.poll(() => rows().count).toBe(3);
			await expect.poll(() => pendingCount(page)).toBe(0);
		});

		await test.step('server stopped, context offline: the scanner opens, verifies and logs', async () => {
			await server.stop();
			await context.setOffline(true);
			await page.reload();
			await expect(page.getByTestId('venue')).toBeVisible();
			for (let i = 0; i < 3; i++) await scanValid(page, paper.qr);
			await scanValid(page, await liveQr(phone));
			await expect.poll(() => pendingCount(page)).toBe(4);
			await expect(page.getByTestId('oldest')).toBeVisible();
		});

		await test.step('server back, online: every logged scan arrives exactly once', async () => {
			await server.start();
			await context.setOffline(false);
			await expect.poll(() => pendingCount(page), { timeout: 20_000 }).toBe(0);
			expect(rows()).toEqual({ count: 7, distinct: 7, seqs: [1, 2, 3, 4, 5, 6, 7] });
		});

		await test.step('SIGKILL after the server committed a batch, before the device got its acks', async () => {
			await context.setOffline(true);
			for (let i = 0; i < 3; i++) await scanValid(page, paper.qr);
			let killed = false;
			await page.route('**/api/v1/scans', async (route) => {
				if (killed) return route.abort('connectionrefused');
				const response = await route.fetch();
				killed = true;
				await server.stop('SIGKILL');
				void response;
				await route.abort('connectionreset');
			});
			await context.setOffline(false);
			await expect.poll(() => killed, { timeout: 20_000 }).toBe(true);
			await expect(page.getByTestId('sync-error')).toBeVisible();
			expect(await pendingCount(page)).toBe(3);
			await page.unroute('**/api/v1/scans');
			await server.start();
			// Committed before the kill: already in the database, but the device does not know.
			expect(rows().count).toBe(10);
			await page.getByRole('button', { name: '立即上传' }).click();
			await expect.poll(() => pendingCount(page), { timeout: 20_000 }).toBe(0);
			expect(rows()).toEqual({ count: 10, distinct: 10, seqs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
		});

		await test.step('two tabs scan and sync at once: one chain, no duplicates', async () => {
			const second = await context.newPage();
			await second.goto(`${server.url}/scan`);
			await expect(second.getByTestId('venue')).toBeVisible();
			await context.setOffline(true);
			for (let i = 0; i < 3; i++) {
				await scanValid(page, paper.qr);
				await scanValid(second, paper.qr);
			}
			await expect.poll(() => pendingCount(page), { timeout: 10_000 }).toBe(6);
			await context.setOffline(false);
			// Both tabs get `online` and sync; press both buttons as well.
			await Promise.all([page.getByRole('button', { name: '立即上传' }).click(), second.getByRole('button', { name: '立即上传' }).click()]);
			await expect.poll(() => rows().count, { timeout: 20_000 }).toBe(16);
			await expect.poll(() => pendingCount(second), { timeout: 20_000 }).toBe(0);
			expect(rows()).toEqual({ count: 16, distinct: 16, seqs: Array.from({ length: 16 }, (_, i) => i + 1) });
			await second.close();
		});
	} finally {
		await server.stop();
	}
});
