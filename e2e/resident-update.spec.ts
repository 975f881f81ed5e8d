/**
 * Service-worker updates in the resident app: a new version (the served service-worker.js changes) is
 * offered by the banner, but not while a form holds input; applied, the page reloads under the new worker.
 * The "new version" is a copy of the build whose worker gets one extra route (and no stale .br/.gz twins).
 */
import { expect, test } from '@playwright/test';
import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, waitForServiceWorker } from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 11;

test('a waiting update is offered, held back while a form has input, and applied', async ({ browser }) => {
	const buildDir = join(ROOT, 'test-results', `resident-update-build-${PORT}`);
	rmSync(buildDir, { recursive: true, force: true });
	cpSync(join(ROOT, 'build'), buildDir, { recursive: true });
	const dataDir = join(ROOT, 'test-results', `resident-update-data-${PORT}`);
	let server = await startServer(PORT, dataDir, { buildDir, fresh: true });
	const context = await browser.newContext({ baseURL: server.origin });
	try {
		const page = await context.newPage();
		await page.goto('/app/signin');
		await waitForServiceWorker(page);
		const marker = () => page.evaluate(async () => (await fetch('/__sw-marker')).status);
		expect(await marker()).toBe(404);

		// The next version: same precache, plus a marker route. sirv caches file sizes at start: restart it.
		await server.stop();
		const sw = join(buildDir, 'client', 'service-worker.js');
		appendFileSync(
			sw,
			"\nself.addEventListener('fetch',e=>{if(new URL(e.request.url).pathname==='/__sw-marker')e.respondWith(new Response('v2'))});\n"
		);
		rmSync(sw + '.br', { force: true });
		rmSync(sw + '.gz', { force: true });
		server = await startServer(PORT, dataDir, { buildDir });

		// A half-filled form: the update waits and says so, with nothing to click.
		await page.getByLabel('手机号码').fill('138');
		await page.evaluate(async () => {
			await (await navigator.serviceWorker.getRegistration())?.update();
		});
		await expect(page.getByText('新版本已就绪，提交当前表单后即可更新')).toBeVisible({ timeout: 20_000 });
		await expect(page.getByRole('button', { name: '更新' })).toHaveCount(0);

		// Form cleared: the update is offered; applying it reloads the page under the new worker.
		await page.getByLabel('手机号码').fill('');
		const apply = page.getByRole('button', { name: '更新' });
		await expect(apply).toBeVisible();
		await Promise.all([page.waitForEvent('load'), apply.click()]);
		await waitForServiceWorker(page);
		expect(await page.evaluate(async () => (await fetch('/__sw-marker')).text())).toBe('v2');
		await expect(page.getByText('有新版本可用')).toHaveCount(0);
	} finally {
		await context.close();
		await server.stop();
		rmSync(buildDir, { recursive: true, force: true });
	}
});
