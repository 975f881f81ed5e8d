/**
 * Errors are shown by code, in the reader's language, in all three apps (real Chromium, the shared webServer):
 * the resident app (a wrong one-time code; the sign-in request cut off), the console (a wrong password; the
 * request cut off; a proxy's HTML page instead of JSON) and the scanner (a sync the server refuses for an
 * unknown device token; the upload cut off). Each time the language is switched first and the message must be
 * the `errors` catalogue's text for that code — never a bilingual "English / 中文" title or "Failed to fetch".
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url } from '../src/lib/core/bytes.js';
import type { ErrorCode } from '../src/lib/core/contract/errors.js';
import { consoleStrings } from '../src/lib/i18n/locales/console.js';
import { errors } from '../src/lib/i18n/locales/errors.js';
import { resident } from '../src/lib/i18n/locales/resident.js';
import { scanner } from '../src/lib/i18n/locales/scanner.js';
import { enrol, issue } from './scanner/codes.js';
import { dismiss, enrolPage, wedgeScan } from './scanner/page.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');

type Lng = 'zh-CN' | 'en';

/** i18next's {{name}} interpolation, enough for these messages. */
function fill(template: string, vars: Record<string, string | number> = {}): string {
	return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars[k]));
}

const message = (lng: Lng, code: ErrorCode, vars?: Record<string, string | number>) =>
	fill((errors[lng] as Record<string, string>)[code]!, vars);

async function switchTo(page: Page, lng: Lng): Promise<void> {
	await page.getByRole('button', { name: lng === 'en' ? 'English' : '中文', exact: true }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', lng);
}

/** One language, and nothing a parser or fetch wrote. */
async function expectClean(box: Locator): Promise<void> {
	const text = (await box.textContent()) ?? '';
	expect(text).not.toContain(' / ');
	expect(text).not.toContain('Failed to fetch');
	expect(text).not.toMatch(/JSON|Unexpected token/);
}

test('resident: a wrong one-time code and a cut-off request, worded by code in the chosen language', async ({ page }) => {
	const phone = `139${String(Date.now()).slice(-8)}`;
	const en = resident.en;
	await page.goto(`${ORIGIN}/app/signin`);
	await switchTo(page, 'en');
	await page.locator('#phone').fill(phone);
	await page.getByRole('button', { name: en['signin.send'], exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: fill(en['signin.sent'], { phone }) })).toBeVisible();

	// the real code, off by one: refused as otp/invalid
	const outbox = (await (await page.request.get(`${ORIGIN}/api/v1/dev/outbox?phone=${phone}`)).json()) as { messages: { text: string }[] };
	const real = Number(/\d{6}/.exec(outbox.messages[0]!.text)![0]);
	await page.locator('#otp').fill(String((real + 1) % 1_000_000).padStart(6, '0'));
	await page.getByRole('button', { name: en['signin.submit'], exact: true }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toHaveText(fill(en['signin.error'], { message: message('en', 'otp/invalid') }));
	await expect(alert).toHaveAttribute('data-code', 'otp/invalid');
	await expectClean(alert);

	// the same refusal, re-worded when the language changes
	await switchTo(page, 'zh-CN');
	await expect(alert).toHaveText(fill(resident['zh-CN']['signin.error'], { message: message('zh-CN', 'otp/invalid') }));
	await expectClean(alert);

	// the request never gets an answer
	await page.route('**/api/v1/auth/session', (r) => r.abort());
	await page.getByRole('button', { name: resident['zh-CN']['signin.submit'], exact: true }).click();
	await expect(alert).toHaveText(fill(resident['zh-CN']['signin.error'], { message: message('zh-CN', 'network/unavailable') }));
	await expect(alert).toHaveAttribute('data-code', 'network/unavailable');
	await expectClean(alert);
});

test('console: a wrong password, a cut-off request and a proxy page, worded by code in the chosen language', async ({ page }) => {
	await page.goto(`${ORIGIN}/console/signin`);
	await switchTo(page, 'en');
	await page.locator('#username').fill('nobody');
	await page.locator('#password').fill('not the password');
	const submit = page.getByRole('button', { name: consoleStrings.en['signin.submit'], exact: true });
	await submit.click();
	const alert = page.getByRole('alert');
	await expect(alert).toHaveText(message('en', 'staff/invalid'));
	await expect(alert).toHaveAttribute('data-code', 'staff/invalid');
	await expectClean(alert);

	await page.route('**/api/v1/staff/session', (r) => (r.request().method() === 'POST' ? r.abort() : r.fallback()));
	await page.locator('#password').fill('still not it');
	await submit.click();
	await expect(alert).toHaveText(message('en', 'network/unavailable'));
	await expectClean(alert);

	// a reverse proxy's HTML error page where problem+json was expected
	await page.unroute('**/api/v1/staff/session');
	await page.route('**/api/v1/staff/session', (r) =>
		r.request().method() === 'POST'
			? r.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' })
			: r.fallback()
	);
	await switchTo(page, 'zh-CN');
	await page.locator('#password').fill('still not it');
	await page.getByRole('button', { name: consoleStrings['zh-CN']['signin.submit'], exact: true }).click();
	await expect(alert).toHaveText(message('zh-CN', 'network/bad-response'));
	await expect(alert).toHaveAttribute('data-code', 'network/bad-response');
	await expectClean(alert);
});

test('scanner: an upload refused for an unknown device and a cut-off upload, worded by code in the chosen language', async ({ page }) => {
	// a well-formed enrolment whose upload token the server never issued: sync is refused with auth/device
	const real = enrol(DATA_DIR, 'demo-market');
	const json = JSON.parse(new TextDecoder().decode(fromBase64Url(real.code.slice('TXE1:'.length))!)) as Record<string, unknown>;
	const forged = 'TXE1:' + toBase64Url(new TextEncoder().encode(JSON.stringify({ ...json, token: 'x'.repeat(40) })));
	const paper = await issue(DATA_DIR, { kind: 'paper' });

	await page.goto(`${ORIGIN}/scan`);
	await switchTo(page, 'en');
	await enrolPage(page, ORIGIN, forged);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await wedgeScan(page, paper.qr);
	await dismiss(page);
	const syncError = page.getByTestId('sync-error');
	await expect(syncError).toHaveText(fill(scanner.en['log.sync-error'], { detail: message('en', 'auth/device') }));
	await expectClean(syncError);

	await switchTo(page, 'zh-CN');
	await expect(syncError).toHaveText(fill(scanner['zh-CN']['log.sync-error'], { detail: message('zh-CN', 'auth/device') }));

	await page.route('**/api/v1/scans', (r) => r.abort());
	await page.getByRole('button', { name: scanner['zh-CN']['log.sync'], exact: true }).click();
	await expect(syncError).toHaveText(fill(scanner['zh-CN']['log.sync-error'], { detail: message('zh-CN', 'network/unavailable') }));
	await expectClean(syncError);
});
