/**
 * The guard scanner at /scan against the production build (shared webServer): enrolment with a `TXE1:` code,
 * offline verification of real codes issued by `tongxing issue` through the keyboard-wedge and paste paths,
 * entry policies, the verdict screen's accessibility, and list updates that must be refused (tampered,
 * rolled back) while the last good list is kept. Camera: scanner-camera.spec.ts; sync: scanner-sync.spec.ts.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { cli, enrol, issue, liveQr, tamper } from './scanner/codes.js';
import { dismiss, enrolPage, readVerdict, wedgeScan } from './scanner/page.js';
import { timeStep } from '../src/lib/core/live-proof.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');

test.describe('guard scanner', () => {
	test('real codes → the right verdict, reason, masked identity and notes; every scan logged first', async ({ page }) => {
		const green = await issue(DATA_DIR);
		const paper = await issue(DATA_DIR, { kind: 'paper' });
		const proxy = await issue(DATA_DIR, { kind: 'proxy', proxyName: '李*' });
		const yellow = await issue(DATA_DIR, { colour: 'yellow' });
		const revoked = await issue(DATA_DIR);
		cli(DATA_DIR, 'status-list', 'publish', '--revoke', revoked.codeId);
		const expired = await issue(DATA_DIR, { kind: 'paper', validSeconds: 1 });
		const { code } = enrol(DATA_DIR, 'demo-library');

		await page.goto(`${ORIGIN}/scan`);
		await expect(page.getByLabel('登记码')).toBeVisible();
		expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
		await enrolPage(page, ORIGIN, code);
		await expect(page.getByTestId('policy')).toHaveText('仅限绿码');

		expect(await wedgeScan(page, await liveQr(green))).toEqual({ outcome: 'admit', verdict: 'valid', reason: 'ok', recorded: 'true' });
		await expect(page.getByTestId('masked-name')).toHaveText('张*丰');
		await expect(page.getByTestId('id-suffix')).toHaveText('123X');
		// Announced for screen readers, not only drawn.
		await expect(page.getByTestId('announce')).toHaveText(/准许通行/);
		expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
		await dismiss(page);

		// A screenshot: the live proof of two minutes ago.
		const stepMs = (timeStep(Date.now()) - 4) * 30_000;
		expect(await wedgeScan(page, await liveQr(green, stepMs))).toMatchObject({
			outcome: 'refuse',
			verdict: 'invalid',
			reason: 'stale-live-proof'
		});
		await expect(page.getByTestId('reason')).toHaveText(/截图或旧码/);
		expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
		await dismiss(page);

		expect(await wedgeScan(page, tamper(paper.qr))).toMatchObject({ outcome: 'refuse', verdict: 'invalid', reason: 'bad-signature' });
		await dismiss(page);
		expect(await wedgeScan(page, await liveQr(revoked))).toMatchObject({ outcome: 'refuse', verdict: 'invalid', reason: 'revoked' });
		await dismiss(page);
		// Issued with a 1-second validity at the start of the test: long expired by now.
		expect(await wedgeScan(page, expired.qr)).toMatchObject({ outcome: 'refuse', verdict: 'invalid', reason: 'expired' });
		await dismiss(page);

		expect(await wedgeScan(page, paper.qr)).toMatchObject({ outcome: 'admit', verdict: 'valid' });
		await expect(page.getByTestId('note')).toHaveText('纸质码：请核对身份证');
		await dismiss(page);
		expect(await wedgeScan(page, await liveQr(proxy))).toMatchObject({ outcome: 'admit', verdict: 'valid' });
		await expect(page.getByTestId('note')).toHaveText(/代为出示：李\*/);
		await dismiss(page);
		expect(await wedgeScan(page, await liveQr(yellow))).toMatchObject({ outcome: 'refuse', verdict: 'valid', reason: 'ok' });
		await expect(page.getByTestId('reason')).toHaveText('不是绿码');
		await expect(page.getByTestId('policy-rule')).toHaveText('本场所仅允许绿码进入');
		await dismiss(page);
		expect(await wedgeScan(page, 'TX2:ABC')).toMatchObject({ outcome: 'caution', verdict: 'unverifiable', reason: 'unsupported-version' });
		await dismiss(page);

		// The paste path, in English.
		await page.getByRole('button', { name: 'English' }).click();
		await page.getByLabel('Paste code text').fill(paper.qr);
		await page.getByRole('button', { name: 'Verify' }).click();
		expect(await readVerdict(page)).toMatchObject({ outcome: 'admit', verdict: 'valid' });
		await expect(page.getByTestId('note')).toHaveText('Paper code: check their ID card');
		await page.keyboard.press('Enter'); // the dismiss button has focus: a wedge's Enter continues
		await expect(page.getByRole('alertdialog')).toBeHidden();

		// 10 scans, all in the device's log with seq 1…10 and an unbroken chain; no names or code text in it.
		const log = await page.evaluate(async () => {
			return new Promise<{ seq: number; prevHash: string; hash: string; codeId: string | null; keys: string[] }[]>((resolve, reject) => {
				const open = indexedDB.open('tongxing-scanner');
				open.onsuccess = () => {
					const req = open.result.transaction('outbox').objectStore('outbox').getAll();
					req.onsuccess = () =>
						resolve(
							(req.result as { seq: number; prevHash: string; hash: string; codeId: string | null }[]).map((r) => ({
								...r,
								keys: Object.keys(r).sort()
							}))
						);
					req.onerror = () => reject(new Error(String(req.error)));
				};
				open.onerror = () => reject(new Error(String(open.error)));
			});
		});
		const sorted = log.sort((a, b) => a.seq - b.seq);
		expect(sorted.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.prevHash).toBe(sorted[i - 1]!.hash);
		expect(sorted[0]!.codeId).toBe(green.codeId);
		for (const e of sorted)
			expect(
				e.keys.filter(
					(k) =>
						![
							'codeId',
							'deviceId',
							'eventId',
							'hash',
							'prevHash',
							'reason',
							'scannedAt',
							'seq',
							'state',
							'uploadedAt',
							'venueId',
							'verdict',
							'rejectReason'
						].includes(k)
				)
			).toEqual([]);
	});

	test('venue policy green + negative test within 48 h, evaluated offline from the code', async ({ page, context }) => {
		const hoursAgo = (h: number) => Math.floor(Date.now() / 1000) - h * 3600;
		const recent = await issue(DATA_DIR, { kind: 'paper', negativeTestAt: hoursAgo(30) });
		const old = await issue(DATA_DIR, { kind: 'paper', negativeTestAt: hoursAgo(60) });
		const none = await issue(DATA_DIR, { kind: 'paper' });
		await enrolPage(page, ORIGIN, enrol(DATA_DIR, 'demo-hospital').code);
		await context.setOffline(true);
		expect(await wedgeScan(page, recent.qr)).toMatchObject({ outcome: 'admit', verdict: 'valid' });
		await expect(page.getByRole('alertdialog')).toContainText('30 小时前');
		await dismiss(page);
		expect(await wedgeScan(page, old.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
		await expect(page.getByTestId('reason')).toHaveText('核酸阴性记录已超时');
		await expect(page.getByTestId('policy-rule')).toHaveText('本场所仅允许绿码且 48 小时内核酸阴性进入');
		await dismiss(page);
		expect(await wedgeScan(page, none.qr)).toMatchObject({ outcome: 'refuse', verdict: 'valid' });
		await expect(page.getByTestId('reason')).toHaveText('码内无核酸阴性记录');
		await expect(page.getByTestId('policy-rule')).toHaveText('本场所仅允许绿码且 48 小时内核酸阴性进入');
		await context.setOffline(false);
	});

	test('a tampered or rolled-back trust-list update is refused and the last good list kept', async ({ page }) => {
		const paper = await issue(DATA_DIR, { kind: 'paper' });
		await enrolPage(page, ORIGIN, enrol(DATA_DIR, 'demo-library').code);
		const oldVersion = Number(await page.getByTestId('trust-age').getAttribute('data-version'));
		const oldList = await (await page.request.get(`${ORIGIN}/.well-known/tongxing/trust-list`)).body();

		// Tampered: one byte of the payload changed in transit.
		await page.route('**/.well-known/tongxing/trust-list', async (route) => {
			const bytes = Buffer.from(oldList);
			bytes[40]! ^= 0x01;
			await route.fulfill({ status: 200, contentType: 'application/cose', body: bytes });
		});
		await page.getByRole('button', { name: '立即更新' }).click();
		await expect(page.getByTestId('refusal')).toContainText('trust-list-invalid');
		// The main screen (no verdict up), with a refusal notice and the settings open: no axe violations either.
		await page.getByText('设置', { exact: true }).click();
		expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
		await expect(page.getByTestId('trust-age')).toHaveAttribute('data-version', String(oldVersion));
		expect(await wedgeScan(page, paper.qr)).toMatchObject({ outcome: 'admit', verdict: 'valid' });
		await dismiss(page);
		await page.unroute('**/.well-known/tongxing/trust-list');

		// A newer list is taken…
		cli(DATA_DIR, 'trust-list', 'publish');
		await page.getByRole('button', { name: '立即更新' }).click();
		await expect(page.getByTestId('trust-age')).toHaveAttribute('data-version', String(oldVersion + 1));
		// …and the older one, replayed, is a rollback: refused, the newer list stays (also after a reload).
		await page.route('**/.well-known/tongxing/trust-list', (route) =>
			route.fulfill({ status: 200, contentType: 'application/cose', body: Buffer.from(oldList) })
		);
		await page.getByRole('button', { name: '立即更新' }).click();
		await expect(page.getByTestId('refusal')).toContainText('trust-list-rollback');
		await page.reload();
		await expect(page.getByTestId('trust-age')).toHaveAttribute('data-version', String(oldVersion + 1));
		expect(await wedgeScan(page, paper.qr)).toMatchObject({ outcome: 'admit', verdict: 'valid' });
	});
});
