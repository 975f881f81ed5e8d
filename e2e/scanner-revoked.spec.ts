/**
 * A revoked scanner is told so: after `tongxing guard revoke DEVICE-ID` its uploads are refused with
 * `device/revoked`, the page says so in the guard's language, and the scans stay in its own log (never dropped).
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { errors } from '../src/lib/i18n/locales/errors.js';
import { scanner } from '../src/lib/i18n/locales/scanner.js';
import { cli, enrol, issue } from './scanner/codes.js';
import { dismiss, enrolPage, pendingCount, wedgeScan } from './scanner/page.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');

test('a revoked guard device: uploads refused with device/revoked, said on screen, scans kept on the device', async ({ page }) => {
	const { code, deviceId } = enrol(DATA_DIR, 'demo-library');
	const paper = await issue(DATA_DIR, { kind: 'paper' });
	await enrolPage(page, ORIGIN, code);
	expect(cli(DATA_DIR, 'guard', 'revoke', deviceId)).toContain('revoked');

	expect(await wedgeScan(page, paper.qr)).toMatchObject({ verdict: 'valid', recorded: 'true' });
	await dismiss(page);
	const syncError = page.getByTestId('sync-error');
	await expect(syncError).toHaveText(scanner['zh-CN']['log.sync-stopped'].replace('{{detail}}', errors['zh-CN']['device/revoked']));
	expect(await pendingCount(page)).toBeGreaterThanOrEqual(1);
});
