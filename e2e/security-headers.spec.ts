/**
 * Security headers on every kind of response of the production server (scripts/security-headers.js via the
 * generated build/index.js) and a CSP that the apps run under without a single violation.
 */
import { expect, test } from '@playwright/test';

const EVERY_RESPONSE = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'no-referrer',
	'cross-origin-opener-policy': 'same-origin'
};

test('pages, static files and API answers carry the security headers', async ({ request }) => {
	for (const path of ['/', '/app', '/scan', '/console', '/favicon.svg', '/service-worker.js', '/api/v1/health', '/api/v1/nope']) {
		const response = await request.get(path);
		const headers = response.headers();
		expect(headers, path).toMatchObject(EVERY_RESPONSE);
		expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
		expect(headers['permissions-policy'], path).toContain('camera=(self)');
		// plain http here: no HSTS (RFC 6797 §7.2)
		expect(headers['strict-transport-security'], path).toBeUndefined();
	}
	expect((await request.get('/api/v1/health')).headers()['content-security-policy']).toContain("default-src 'none'");
});

test('the apps run under their CSP with no violation', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	for (const path of ['/', '/app', '/app/signin', '/scan', '/console/signin']) {
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		const meta = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
		expect(meta, path).toMatch(/script-src 'self' 'sha256-/);
	}
	expect(violations).toEqual([]);
});
