import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test('landing page renders, is controlled by the service worker and has no axe violations', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('通行 Tongxing');

	// First install: the worker precaches the shell and claims this page (clientsClaim).
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	const scriptURL = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
	expect(scriptURL).toMatch(/\/service-worker\.js$/);

	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations).toEqual([]);
});

test('the precached shell opens with no network', async ({ page, context }) => {
	await page.goto('/');
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

	await context.setOffline(true);
	try {
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('通行 Tongxing');
	} finally {
		await context.setOffline(false);
	}
});

test('GET /api/v1/health reports the database, keys, lists and SMS sender', async ({ request }) => {
	const response = await request.get('/api/v1/health');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	expect(response.headers()['cache-control']).toBe('no-store');
	const body: unknown = await response.json();
	expect(body).toMatchObject({
		ok: true,
		version: expect.any(String),
		database: { ok: true },
		keys: { ok: true, region: '440300' },
		lists: { ok: true },
		// the demo's outbox logs codes: health says it is not a production sender
		sms: { sender: 'demo-outbox', production: false }
	});
});
