/**
 * Contact tracing in the console (issue 15), in real Chromium against its own `node build` over a 3 000-resident
 * demo city (docs/demo-city.md: the market outbreak): the officer picks the index case (the earliest confirmed),
 * keeps its infectious window, is refused without a purpose, then lists the co-visitors (audited as tracing.query
 * with the purpose), sorts the table from the keyboard, exports the CSV (masked, hashed refs only), marks green
 * co-visitors as secondary contacts in one action (under the approval threshold: applied at once) and sees them
 * turn yellow through the normal path — in the re-read list and in the database — unless the routine screening
 * already tested them out (the rules decide). axe 0 in both languages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, type Server } from './resident-helpers';

/** The page's short hashed ref (client/console/tracing-csv.ts refHash): the ref's first 8 bytes in hex. */
const refHash = (ref: string) => Buffer.from(ref.slice(0, 12), 'base64url').subarray(0, 8).toString('hex');

const PORT = Number(process.env.E2E_PORT ?? 4319) + 41;
const DATA_DIR = join(ROOT, 'test-results', `tracing-data-${PORT}`);

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: Server;
let page: Page;
let staff = { username: '', password: '' };

function db<T>(fn: (d: Database.Database) => T): T {
	const d = new Database(join(DATA_DIR, 'tongxing.sqlite'), { readonly: true });
	try {
		return fn(d);
	} finally {
		d.close();
	}
}

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	const out = execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '3000'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8'
	});
	const account = /管理控制台 \(\/console\): username (\S+)\s+password (\S+)/.exec(out);
	expect(account, out).not.toBeNull();
	staff = { username: account![1]!, password: account![2]! };
	server = await startServer(PORT, DATA_DIR);
	const context = await browser.newContext({ baseURL: server.origin, acceptDownloads: true });
	page = await context.newPage();
});

test.afterAll(async () => {
	await page?.context().close();
	await server?.stop();
});

test('sign in and open contact tracing from the navigation', async () => {
	await page.goto('/console/signin');
	await page.getByLabel('用户名').fill(staff.username);
	await page.getByLabel('密码').fill(staff.password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByText(`已登录：${staff.username}`)).toBeVisible();
	await page.getByRole('navigation', { name: '控制台导航' }).getByRole('link', { name: '密接追踪' }).click();
	await expect(page.getByRole('heading', { name: '密接追踪（流调）', level: 1 })).toBeVisible();
	await axe(page);
});

test('trace the index case in its infectious window: a purpose is required, the query is audited', async () => {
	const select = page.getByLabel('确诊病例');
	// newest first: the index case (confirmed first) is the last option
	const options = select.locator('option:not([disabled])');
	await expect(options.first()).toBeAttached();
	const n = await options.count();
	const indexCase = db(
		(d) => d.prepare('select id, ref from cases order by confirmed_at, id limit 1').get() as { id: string; ref: string }
	);
	expect(await options.nth(n - 1).getAttribute('value')).toBe(indexCase.id);
	await select.selectOption(indexCase.id);
	await expect(page.getByText(/^默认时间范围（传染期）：/)).toBeVisible();
	await expect(page.getByLabel('开始时间')).not.toHaveValue('');

	await page.getByRole('button', { name: '查询' }).click();
	await expect(page.getByRole('alert')).toContainText('请填写查询目的');
	const audited = () => db((d) => d.prepare("select count(*) n from staff_audit where action = 'tracing.query'").get() as { n: number }).n;
	expect(audited()).toBe(0);

	await page.getByLabel('查询目的（必填，记入审计）').fill('E2E 流调：市场指示病例');
	await page.getByRole('button', { name: '查询' }).click();
	await expect(page.getByRole('heading', { name: /^共 \d+ 人（/ })).toBeVisible({ timeout: 60_000 });
	const rows = page.locator('tbody tr');
	expect(await rows.count()).toBeGreaterThan(0);
	// every kind of evidence the market case leaves in the demo city: scans at the market, fixes close by
	await expect(page.locator('li[data-kind="venue"]').first()).toBeVisible();
	await expect(page.locator('li[data-kind="gps"]').first()).toBeVisible();
	const audit = db(
		(d) =>
			d.prepare("select actor, person_hash, target, purpose from staff_audit where action = 'tracing.query'").all() as {
				actor: string;
				person_hash: string;
				target: string;
				purpose: string;
			}[]
	);
	expect(audit).toEqual([{ actor: staff.username, person_hash: indexCase.ref, target: indexCase.id, purpose: 'E2E 流调：市场指示病例' }]);
	await axe(page);
});

test('the table sorts from the keyboard; the CSV has masked names and hashed refs only', async () => {
	const overlap = page.getByRole('columnheader', { name: /重叠时长/ });
	await expect(overlap).toHaveAttribute('aria-sort', 'descending');
	const minutes = async () => (await page.locator('tbody td.num').allTextContents()).map(Number);
	const desc = await minutes();
	expect(desc).toEqual([...desc].sort((a, b) => b - a));
	await overlap.getByRole('button').focus();
	await page.keyboard.press('Enter');
	await expect(overlap).toHaveAttribute('aria-sort', 'ascending');
	const asc = await minutes();
	expect(asc).toEqual([...asc].sort((a, b) => a - b));

	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: '导出 CSV' }).click();
	const file = await (await download).path();
	const csv = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
	const lines = csv.trimEnd().split('\r\n');
	expect(lines[0]).toBe('ref_hash,name_masked,id_masked,colour,contact,overlap_minutes,first,last,evidence');
	expect(lines).toHaveLength((await page.locator('tbody tr').count()) + 1);
	// no 18-character ID number, no full ref
	expect(csv).not.toMatch(/\d{17}[\dX]/);
	const ref = db((d) => (d.prepare('select ref from cases limit 1').get() as { ref: string }).ref);
	expect(ref.length).toBeGreaterThan(16);
	for (const line of lines.slice(1)) expect(line.split(',')[0]).toMatch(/^[0-9a-f]{16}$/);
});

test('mark green co-visitors as secondary contacts in one action: applied through the normal path, yellow unless tested out', async () => {
	const green = page.locator('tbody tr:has(td[data-colour-now="green"])');
	expect(await green.count(), 'the index case has green co-visitors in the demo city').toBeGreaterThan(0);
	// Pick green co-visitors the rule must turn yellow: fewer than 3 negative tests since the exposure the page will
	// record for them (the end of their latest overlap with the case, the row's data-last). The demo city is seeded
	// relative to now and screens people every few days, so which co-visitors have already tested out depends on the
	// hour of the run; counting from the start of the case's window instead still left none at some hours.
	const rows = await green.evaluateAll((trs) =>
		trs.map((r) => ({ ref: r.getAttribute('data-ref') ?? '', last: r.getAttribute('data-last') ?? '' }))
	);
	const negatives = db((d) => {
		const all = d.prepare("select ref, sampled_at from health_tests where result = 'negative'").all() as {
			ref: string;
			sampled_at: number;
		}[];
		const byHash = new Map<string, number[]>();
		for (const t of all) byHash.set(refHash(t.ref), [...(byHash.get(refHash(t.ref)) ?? []), t.sampled_at]);
		return byHash;
	});
	const candidates = rows
		.filter(({ ref, last }) => {
			const exposedAt = Math.min(Date.parse(last), Date.now());
			return (negatives.get(ref) ?? []).filter((at) => at >= exposedAt).length < 3;
		})
		.map((r) => r.ref);
	const count = Math.min(5, candidates.length);
	expect(count, 'green co-visitors of the index case who have not tested out since its infectious window began').toBeGreaterThan(0);
	const picked = candidates.slice(0, count);
	for (const ref of picked) await page.locator(`tbody tr[data-ref="${ref}"]`).getByRole('checkbox').check();
	await page.getByRole('radio', { name: '次密切接触者（次密接）' }).check();
	await expect(page.locator('#tracing-reason')).toHaveValue('contact-tracing');
	await page.getByRole('button', { name: `将选中的 ${count} 人标记为接触者` }).click();
	await expect(page.locator('[data-status="applied"]')).toContainText(`已标记 ${count} 人。`, { timeout: 60_000 });

	const stored = db(
		(d) =>
			d
				.prepare(
					"select c.ref, c.exposed_at, rc.colour, (select count(*) from health_tests t where t.ref = c.ref and t.result = 'negative' and t.sampled_at >= c.exposed_at) tests from contacts c join resident_colours rc on rc.ref = c.ref where c.id like 'console-%' and c.kind = 'secondary'"
				)
				.all() as { ref: string; exposed_at: number; colour: string; tests: number }[]
	);
	expect(stored.map((s) => refHash(s.ref)).sort()).toEqual([...picked].sort());
	// the rules decide: a secondary contact is yellow until 3 negative tests 48 h apart after the exposure (default
	// rules) — only someone the routine screening has tested at least three times since can still be green
	for (const s of stored) {
		expect(['green', 'yellow'], refHash(s.ref)).toContain(s.colour);
		if (s.colour === 'green') expect(s.tests, `${refHash(s.ref)}: negative tests since exposure`).toBeGreaterThanOrEqual(3);
	}
	expect(stored.filter((s) => s.colour === 'yellow').length, 'at least one marked person turns yellow').toBeGreaterThan(0);
	// the re-read list shows the marks and the colours now
	for (const s of stored) {
		const row = page.locator(`tbody tr[data-ref="${refHash(s.ref)}"]`);
		await expect(row.locator('td[data-colour-now]')).toHaveAttribute('data-colour-now', s.colour);
		await expect(row.locator('td[data-contact]')).toHaveText('次密接');
	}
	const proposal = db(
		(d) => d.prepare("select status, reason_code from proposals where kind = 'contacts'").get() as { status: string; reason_code: string }
	);
	expect(proposal).toEqual({ status: 'applied', reason_code: 'contact-tracing' });
	// each change is in the residents' history with the staff decision behind it
	const events = db(
		(d) =>
			d
				.prepare(
					"select count(*) n from resident_colour_events e join contacts c on c.ref = e.ref where c.id like 'console-%' and e.colour = 'yellow' and e.at >= (select proposed_at from proposals where kind = 'contacts')"
				)
				.get() as { n: number }
	).n;
	expect(events).toBe(stored.filter((s) => s.colour === 'yellow').length);
	expect(db((d) => (d.prepare("select count(*) n from staff_audit where action = 'tracing.mark'").get() as { n: number }).n)).toBe(1);
	await axe(page);
});

test('English, axe 0', async () => {
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Contact tracing', level: 1 })).toBeVisible();
	await expect(page.getByRole('columnheader', { name: /Overlap \(minutes\)/ })).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
});
