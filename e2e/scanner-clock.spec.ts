/**
 * Trusted time offline: a scanner whose clock is set back after a sync must not judge expiry by it. The scanner
 * keeps the newest time it has seen (the server's Date, the lists' signed issuedAt) in IndexedDB: a clock behind
 * it reads `clock-suspect` (with an instruction), and expiry is judged against the later of clock and floor, so an
 * expired paper code never reads "valid" on a clock wound back into its validity.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { enrol, issue } from './scanner/codes.js';
import { dismiss, enrolPage, wedgeScan } from './scanner/page.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');

test('a clock set back after a sync never makes an expired paper code valid', async ({ page, context }) => {
	// Valid for one second at the start of the issuer key's window (the server's first start): long expired now.
	const key = new KeyStore(DATA_DIR).activeIssuer('440300', Math.floor(Date.now() / 1000));
	if (!key) throw new Error('no active issuer key');
	const expired = await issue(DATA_DIR, { kind: 'paper', iat: key.notBefore, validSeconds: 1 });
	const { code } = enrol(DATA_DIR, 'demo-library');
	await enrolPage(page, ORIGIN, code);
	expect(await wedgeScan(page, expired.qr)).toMatchObject({ verdict: 'invalid', reason: 'expired' });
	await dismiss(page);

	// Offline, the device clock wound back into the code's validity: still refused. (The service worker must control
	// the page first, so the offline reload below is served from its cache.)
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	await context.setOffline(true);
	await page.clock.setSystemTime(key.notBefore * 1000 + 500);
	const wound = await wedgeScan(page, expired.qr);
	expect(wound.verdict).not.toBe('valid');
	expect(['expired', 'clock-suspect']).toContain(wound.reason);
	await dismiss(page);

	// A day back: the clock is behind what the device has already seen.
	await page.clock.setSystemTime(Date.now() - 86_400_000);
	expect(await wedgeScan(page, expired.qr)).toMatchObject({ outcome: 'caution', verdict: 'unverifiable', reason: 'clock-suspect' });
	await expect(page.getByTestId('reason')).toHaveText(/时钟异常/);
	await dismiss(page);

	// The floor survives a reload (IndexedDB), still offline.
	await page.reload();
	await page.clock.setSystemTime(Date.now() - 86_400_000);
	expect(await wedgeScan(page, expired.qr)).toMatchObject({ verdict: 'unverifiable', reason: 'clock-suspect' });
	await context.setOffline(false);
});
