/**
 * Reliability catalogue cases for the guard scanner (../shared/brief/reliability.md), against the shared webServer:
 * - 20, a storage write failure at scan time: IndexedDB refuses the write (QuotaExceededError) → the verdict says
 *   "not recorded" (never a silent success), nothing is counted as pending, and the next scan once storage works
 *   again is recorded with the chain unbroken;
 * - 13 + 19, eight days offline: lists 8 days old are past the trust list's 7-day maximum → the scan is
 *   `unverifiable` with "keys out of date — connect to update" (never "valid"), the freshness panel says out of
 *   date, and the scans of those days stay in the outbox (no 7-day drop) until the device is online again.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { enrol, issue } from './scanner/codes.js';
import { dismiss, enrolPage, pendingCount, wedgeScan } from './scanner/page.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const DAY = 86_400_000;

test('a scan IndexedDB cannot store says "not recorded", and is not counted as logged', async ({ page, context }) => {
	const paper = await issue(DATA_DIR, { kind: 'paper' });
	const { code } = enrol(DATA_DIR, 'demo-library');
	await enrolPage(page, ORIGIN, code);
	await context.setOffline(true); // nothing uploads: pending counts exactly what was stored
	expect(await wedgeScan(page, paper.qr)).toMatchObject({ verdict: 'valid', recorded: 'true' });
	await dismiss(page);
	await expect.poll(() => pendingCount(page)).toBe(1);

	// the device's storage is full: every IndexedDB write throws, as a QuotaExceededError does
	await page.evaluate(() => {
		// keep the originals (as property descriptors: unbound methods) to put them back below
		const w = window as unknown as { __put?: PropertyDescriptor; __add?: PropertyDescriptor };
		w.__put = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'put');
		w.__add = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'add');
		const full = () => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		};
		IDBObjectStore.prototype.put = full;
		IDBObjectStore.prototype.add = full;
	});
	const shown = await wedgeScan(page, paper.qr);
	expect(shown.recorded).toBe('false');
	await expect(page.getByTestId('recorded')).toHaveText('未记录：本机存储失败，请手工登记');
	await dismiss(page);
	expect(await pendingCount(page)).toBe(1);

	// storage works again: the next scan is recorded and continues the chain
	await page.evaluate(() => {
		const w = window as unknown as { __put: PropertyDescriptor; __add: PropertyDescriptor };
		Object.defineProperty(IDBObjectStore.prototype, 'put', w.__put);
		Object.defineProperty(IDBObjectStore.prototype, 'add', w.__add);
	});
	expect(await wedgeScan(page, paper.qr)).toMatchObject({ verdict: 'valid', recorded: 'true' });
	await dismiss(page);
	await expect.poll(() => pendingCount(page)).toBe(2);
	await context.setOffline(false);
	await expect.poll(() => pendingCount(page), { timeout: 20_000 }).toBe(0);
});

test('eight days offline: lists past their maximum age make scans unverifiable, and the scans wait in the outbox', async ({
	page,
	context
}) => {
	const paper = await issue(DATA_DIR, { kind: 'paper', validSeconds: 13 * 86_400 });
	const { code } = enrol(DATA_DIR, 'demo-library');
	await enrolPage(page, ORIGIN, code);
	await context.setOffline(true);
	expect(await wedgeScan(page, paper.qr)).toMatchObject({ outcome: 'admit', verdict: 'valid', recorded: 'true' });
	await dismiss(page);

	// eight days later, still offline (the paper code itself is valid for 13 days)
	const start = Date.now();
	await page.clock.setSystemTime(start + 8 * DAY);
	const stale = await wedgeScan(page, paper.qr);
	expect(stale).toMatchObject({ verdict: 'unverifiable', reason: 'trust-list-stale', recorded: 'true' });
	expect(stale.outcome).not.toBe('admit');
	await expect(page.getByTestId('reason')).toHaveText(/密钥已过期——请联网更新/);
	await dismiss(page);
	// the panel re-reads the clock with the verdict (list-ages.svelte.ts ageClock), not at its next 10 s tick
	await expect(page.getByTestId('trust-age')).toContainText('已过期', { timeout: 5_000 });
	await expect(page.getByTestId('status-age')).toContainText('已过期', { timeout: 5_000 });
	// both scans are still on the device, the oldest shown with its age
	await expect.poll(() => pendingCount(page)).toBe(2);
	await expect(page.getByTestId('oldest')).toBeVisible();

	// back online (and the clock right again): the lists refresh without a restart and the outbox drains
	await page.clock.setSystemTime(Date.now());
	await context.setOffline(false);
	await expect.poll(() => pendingCount(page), { timeout: 20_000 }).toBe(0);
	// … and with the refreshed lists
	await expect(page.getByTestId('trust-age')).not.toContainText('已过期', { timeout: 5_000 });
	expect(await wedgeScan(page, paper.qr)).toMatchObject({ verdict: 'valid' });
});
