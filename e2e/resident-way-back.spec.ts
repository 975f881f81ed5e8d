/**
 * What the resident reads around the code, in real Chromium against a `node build` over a small seeded demo city
 * (docs/demo-city.md): the way back to green computed for the person (one demo identity per rule kind the demo data
 * reaches, checked against the rule and against what the server served), each reason with its date, place, source
 * and rule, the appeal form pre-selecting the reason, the countdown that counts, the validity of the code on screen
 * (= the `exp` of the QR read from a screenshot), the promised date reached on a fake clock, and the note when the
 * server is down. zh-CN and en; axe-core on each page touched.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Explanation, PathStepWire } from '../src/lib/core/contract/resident.js';
import {
	coreVerify,
	decodeQr,
	pickRegion,
	ROOT,
	scannedAt,
	signInUi,
	startServer,
	waitForServiceWorker,
	type Server
} from './resident-helpers';

const PORT = Number(process.env.E2E_PORT ?? 4319) + 12;
const DATA_DIR = join(ROOT, 'test-results', `way-back-data-${PORT}`);
const FILES = join(ROOT, 'test-results', `way-back-files-${PORT}`);
const HOUR = 3_600_000;
const DAY_S = 86_400;
let server: Server;
/** 张伟 has an account with codes (an earlier test in this file declared him): saves a sign-in, which the per-phone cooldown would delay a minute. */
let zhangDeclared = false;

interface Persona {
	name: string;
	idNumber: string;
	phone: string;
	region: string;
}
const ZHANG: Persona = { name: '张伟', idNumber: '440305199003071236', phone: '13800138000', region: '440305' };
const LI: Persona = { name: '李娜', idNumber: '440304198511124567', phone: '13900139000', region: '440304' };
const WANG: Persona = { name: '王芳', idNumber: '440306197805207892', phone: '13700137000', region: '440306' };

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(() => {
	rmSync(DATA_DIR, { recursive: true, force: true });
	rmSync(FILES, { recursive: true, force: true });
	mkdirSync(FILES, { recursive: true });
	execFileSync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', '300'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		stdio: 'ignore'
	});
});
test.beforeAll(async () => {
	server = await startServer(PORT, DATA_DIR);
});
test.afterAll(async () => {
	await server.stop();
});

/** A new context signed in as the persona, with their declaration submitted: on /app with a code on screen. */
async function declared(browser: Browser, p: Persona, opts: { clockAt?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: server.origin });
	const page = await context.newPage();
	if (opts.clockAt !== undefined) await page.clock.install({ time: opts.clockAt });
	await signInUi(page, server.origin, p.phone);
	// a first sign-in asks for the declaration; an account that declared before lands on its code
	await expect(page).toHaveURL(/\/app(\/declare)?$/);
	if (!page.url().endsWith('/declare')) {
		await expect(page.getByTestId('live-qr')).toBeVisible({ timeout: 15_000 });
		return { context, page };
	}
	await page.getByLabel('姓名').fill(p.name);
	await page.getByLabel('证件号码').fill(p.idNumber);
	await page.getByLabel('手机号码').fill(p.phone);
	await pickRegion(page, p.region);
	await page.getByLabel('详细地址').fill('1 栋');
	await page.getByLabel('今日体温（°C）').fill('36.6');
	await page.getByLabel('以上均无').check();
	await page.getByRole('button', { name: '提交申报' }).click();
	await expect(page).toHaveURL(/\/app$/);
	await expect(page.getByTestId('live-qr')).toBeVisible();
	return { context, page };
}

/** What the server serves beside the codes for each person of the signed-in account. */
async function explanations(page: Page): Promise<{ maskedName: string; explanation: Explanation | null; reasons: string[] }[]> {
	const r = await page.request.get('/api/v1/me/codes');
	expect(r.status()).toBe(200);
	const body = (await r.json()) as { people: { maskedName: string; explanation?: Explanation | null; codes: { reasons: string[] }[] }[] };
	return body.people.map((p) => ({ maskedName: p.maskedName, explanation: p.explanation ?? null, reasons: p.codes[0]?.reasons ?? [] }));
}

/** The page's own date format (client/resident/format.ts: Asia/Shanghai; English the British way), so the test compares what a person reads. */
const shown = (page: Page, ms: number, lang: 'zh-CN' | 'en' = 'zh-CN') =>
	page.evaluate(
		([t, l]) =>
			new Intl.DateTimeFormat(l === 'en' ? 'en-GB' : 'zh-CN', {
				timeZone: 'Asia/Shanghai',
				year: 'numeric',
				month: l === 'en' ? 'short' : '2-digit',
				day: l === 'en' ? 'numeric' : '2-digit',
				hour: '2-digit',
				minute: '2-digit',
				hour12: false
			}).format(t),
		[ms, lang] as const
	);

const stepsOf = (x: Explanation, reason: string): PathStepWire[] => x.path.filter((s) => s.reason === reason);

/**
 * The steps each rule of the default rule set (docs/rules.md, the table) must give, from the reason's event time:
 * holds of 7 days, tests by count / spacing / span, orders by their end.
 */
function expectRule(x: Explanation, reason: string): void {
	const at = x.details.find((d) => d.reason === reason)!.at;
	const hold = { reason, kind: 'wait-until', until: at + 7 * DAY_S };
	const tests = (count: number, apartHours: number, withinDays: number) =>
		expect.objectContaining({ reason, kind: 'negative-tests', count, apartHours, withinDays, after: at });
	const expected: Record<string, unknown[]> = {
		'quarantine-order': [{ reason, kind: 'quarantine-ends', until: expect.any(Number) }],
		'close-contact': [hold, tests(5, 12, 7)],
		'secondary-contact': [hold, tests(3, 48, 7)],
		'high-risk-area-stay': [hold],
		'medium-risk-area-stay': [hold],
		'spatiotemporal-companion': [tests(2, 24, 3)],
		'venue-co-visit': [tests(2, 24, 3)],
		'fever-declared': [expect.objectContaining({ reason, kind: 'negative-tests', count: 1, after: at })]
	};
	expect(expected[reason], `a rule this test knows: ${reason}`).toBeDefined();
	const steps = stepsOf(x, reason);
	expect(steps, reason).toEqual(expected[reason]);
	// when it ends by itself: the hold's (or order's) end once the tests are done, else when the event ages out
	const lookbackDays: Record<string, number> = {
		'close-contact': 14,
		'secondary-contact': 14,
		'spatiotemporal-companion': 14,
		'venue-co-visit': 14,
		'fever-declared': 3
	};
	const until = Math.max(...steps.map((s) => ('until' in s && s.until !== undefined ? s.until : at)));
	const missing = steps.some((s) => s.kind === 'negative-tests' && s.done < s.count);
	const endsAt = missing ? Math.max(until, at + lookbackDays[reason]! * DAY_S + 1) : until;
	expect(x.details.find((d) => d.reason === reason)!.endsAt, `${reason} ends`).toBe(endsAt);
}

/**
 * What the page must promise, worked out here from the steps (an oracle independent of the app's code): a date when
 * nothing is left to do but wait, "after the tests" while tests are missing, the authority's release when undated.
 */
function promise(x: Explanation): { kind: 'on-date'; at: number } | { kind: 'after-tests'; left: number } | { kind: 'release' } {
	if (x.path.some((s) => s.kind === 'release' && s.until === undefined)) return { kind: 'release' };
	const left = x.path.reduce((n, s) => n + (s.kind === 'negative-tests' ? Math.max(0, s.count - s.done) : 0), 0);
	if (left > 0) return { kind: 'after-tests', left };
	return { kind: 'on-date', at: Math.max(...x.path.map((s) => ('until' in s && s.until !== undefined ? s.until : 0))) * 1000 };
}

/** Each reason on the page: its date, place (if any), source; and the way back step by step, as served. */
async function expectExplained(page: Page, x: Explanation, sources: Record<string, string>): Promise<void> {
	const reasons = page.getByTestId('reasons');
	for (const d of x.details) {
		const item = reasons.locator(`li[data-reason="${d.reason}"]`);
		await expect(item).toContainText(await shown(page, d.at * 1000));
		if (d.place) await expect(item).toContainText(d.place.name);
		await expect(item).toContainText(sources[d.reason]!);
		await expect(item).toContainText(x.ruleVersion);
	}
	const way = page.getByTestId('way-back');
	for (const s of x.path) {
		const item = way.locator(`li[data-reason="${s.reason}"] li[data-kind="${s.kind}"]`);
		if (s.kind === 'negative-tests') {
			await expect(item).toContainText(
				`${s.count} 次核酸检测阴性：每两次采样间隔至少 ${s.apartHours} 小时，从第一次到最后一次不超过 ${s.withinDays} 天`
			);
			await expect(item).toContainText(await shown(page, s.after * 1000));
			await expect(item.getByTestId('tests-done')).toContainText(String(s.done));
		} else if (s.until !== undefined) await expect(item).toContainText(await shown(page, s.until * 1000));
	}
	const outlook = promise(x);
	const line = page.getByTestId('green-outlook');
	if (outlook.kind === 'on-date') await expect(line).toHaveText(`如无新情况，将于 ${await shown(page, outlook.at)} 转为绿码。`);
	else if (outlook.kind === 'after-tests') {
		await expect(line).toContainText(`完成上述检测（还需 ${outlook.left} 次）后转为绿码`);
		const ends = x.details.map((d) => d.endsAt);
		if (ends.every((t) => typeof t === 'number'))
			await expect(page.getByTestId('green-by-itself')).toContainText(
				`若不做上述检测且无新情况：将于 ${await shown(page, Math.max(...ends) * 1000)} 转为绿码`
			);
	} else await expect(line).toHaveText('卫生健康部门解除后转为绿码。');
}

test('李娜, medium-risk stay: a hold with no tests, the area named, the source and rule; appeal that reason (zh, en)', async ({
	browser
}) => {
	const { context, page } = await declared(browser, LI);
	await expect(page.locator('[data-colour="yellow"]').first()).toBeVisible();
	const [me] = await explanations(page);
	expect(me!.reasons).toContain('medium-risk-area-stay');
	const x = me!.explanation!;
	// Her rule (docs/rules.md): held 7 days from the last presence in the area, no tests.
	const stay = x.details.find((d) => d.reason === 'medium-risk-area-stay')!;
	expect(stay.place).toEqual({ kind: 'risk-area', name: '住宅楼 1 栋（中风险区）' });
	// a companion reason names her own place then (the venue near her fix, or her district), never the case's
	const companion = x.details.find((d) => d.reason === 'spatiotemporal-companion');
	if (companion) expect(['near-venue', 'venue', 'district']).toContain(companion.place?.kind);
	for (const r of me!.reasons) expectRule(x, r);
	await expect(page.getByTestId('way-back').locator('li[data-reason="medium-risk-area-stay"] li[data-kind="negative-tests"]')).toHaveCount(
		0
	);
	await expectExplained(page, x, {
		'medium-risk-area-stay': '通信运营商位置数据',
		'spatiotemporal-companion': '通信运营商位置数据',
		'venue-co-visit': '场所扫码记录',
		'close-contact': '流调',
		'secondary-contact': '流调'
	});
	await axe(page);

	await page.getByRole('button', { name: 'English' }).click();
	const item = page.getByTestId('reasons').locator('li[data-reason="medium-risk-area-stay"]');
	await expect(item).toContainText('Mobile carrier location data');
	await expect(item).toContainText('Location records place you inside a medium-risk area');
	await expect(item).toContainText(await shown(page, stay.at * 1000, 'en'));
	await expect(page.getByTestId('way-back')).toContainText(`Observation until ${await shown(page, (stay.at + 7 * DAY_S) * 1000, 'en')}`);
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();

	// The appeal form, reached from that reason, has it selected; the history shows the specifics too.
	await item.getByRole('link', { name: '对“近期到访中风险地区”提出申诉' }).click();
	await expect(page).toHaveURL(/\/app\/history\?reason=medium-risk-area-stay#appeal$/);
	await expect(page.getByLabel('申诉的原因')).toHaveValue('medium-risk-area-stay');
	await expect(page.getByTestId('reasons').locator('li[data-reason="medium-risk-area-stay"]')).toContainText('住宅楼 1 栋（中风险区）');
	// the history row of that decision keeps its date and place (colour_events.explain_json); other specs share the
	// demo database and may add a companion reason to the same row, so the stay's own detail is picked by its area
	await expect(page.locator('tbody tr').first().getByTestId('history-detail').filter({ hasText: '中风险区' })).toHaveText(
		`（${await shown(page, stay.at * 1000)} · 住宅楼 1 栋（中风险区））`
	);
	await page.getByLabel('申诉理由（5–1000 字）').fill('那几天我在外地出差，没有去过该住宅楼');
	await page.getByRole('button', { name: '提交申诉' }).click();
	await expect(page.getByTestId('appeals')).toContainText('近期到访中风险地区');
	const appeals = (await (await page.request.get('/api/v1/appeals')).json()) as { appeals: { reason?: string | null }[] };
	expect(appeals.appeals[0]!.reason).toBe('medium-risk-area-stay');
	await axe(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByLabel('Reason you contest')).toHaveValue('medium-risk-area-stay');
	await expect(page.getByTestId('reasons').locator('li[data-reason="medium-risk-area-stay"]')).toContainText(
		'Mobile carrier location data'
	);
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
	await context.close();
});

test('王芳, under a quarantine order (red), and her mother 王秀英, secondary contact: the steps of their rules', async ({ browser }) => {
	const { context, page } = await declared(browser, WANG);
	await expect(page.locator('[data-colour="red"]').first()).toBeVisible();
	const [wang] = await explanations(page);
	const x = wang!.explanation!;
	// red: the order of the health authority while in force (and a close contact's hold and tests when still open)
	expect(wang!.reasons).toContain('quarantine-order');
	for (const r of wang!.reasons) expectRule(x, r);
	await expectExplained(page, x, {
		'quarantine-order': '卫生健康部门',
		'close-contact': '流调',
		'medium-risk-area-stay': '通信运营商位置数据',
		'high-risk-area-stay': '通信运营商位置数据',
		'spatiotemporal-companion': '通信运营商位置数据',
		'venue-co-visit': '场所扫码记录',
		'positive-test': '卫生健康部门'
	});
	await axe(page);

	await page.goto('/app/members');
	await page.getByLabel('成员姓名').fill('王秀英');
	await page.getByLabel('成员居民身份证号码').fill('440306195002142344');
	// the household register shows her as 王芳's mother: the link is confirmed at once (docs/resident-app.md)
	await page.getByRole('radio', { name: /户籍登记/ }).check();
	await page.getByRole('button', { name: '添加成员' }).click();
	await expect(page.getByRole('alert')).toHaveText('已添加 王秀英');
	await page.getByRole('link', { name: '出示此码' }).click();
	await expect(page.getByText('代为出示：由 王* 代 王*英 出示')).toBeVisible();
	const mother = (await explanations(page)).find((p) => p.maskedName === '王*英')!;
	const m = mother.explanation!;
	expect(mother.reasons).toContain('secondary-contact');
	// secondary contact: 7-day hold and 3 tests ≥ 48 h apart within 7 days (not "2 tests in 3 days")
	for (const r of mother.reasons) expectRule(m, r);
	await expectExplained(page, m, { 'secondary-contact': '流调', 'close-contact': '流调', 'quarantine-order': '卫生健康部门' });
	await expect(page.getByTestId('way-back')).toContainText('3 次核酸检测阴性：每两次采样间隔至少 48 小时');
	await axe(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByTestId('way-back')).toContainText(
		'3 negative tests: samples at least 48 hours apart, first to last within 7 days'
	);
	await expect(page.getByTestId('reasons').locator('li[data-reason="secondary-contact"]')).toContainText('Contact tracing');
	await axe(page);
	await page.getByRole('button', { name: '中文' }).click();
	await context.close();
});

test('张伟: the countdown counts, renewals are announced politely, the validity shown is the QR’s exp; a quarantine order ending soon turns due on a fake clock', async ({
	browser
}) => {
	const start = Date.now();
	const { context, page } = await declared(browser, ZHANG, { clockAt: start });
	zhangDeclared = true;
	// the countdown moves with the clock (it used to stay at 30 while the QR renewed)
	const countdown = page.getByTestId('countdown');
	await expect(countdown).toHaveText(/^\d+ 秒后刷新动态码$/);
	await page.clock.pauseAt(Date.now() + 1_000);
	const before = Number(/\d+/.exec((await countdown.textContent()) ?? '')![0]);
	await page.clock.runFor(3_000);
	await expect(countdown).not.toHaveText(`${before} 秒后刷新动态码`);
	const qr = page.getByTestId('live-qr');
	const step = await qr.getAttribute('data-step');
	await page.clock.runFor(30_000);
	await expect(qr).not.toHaveAttribute('data-step', step!);
	await expect(page.getByTestId('renewed')).toHaveText(/^动态码已刷新（第 \d+ 次）$/);
	await expect(page.getByTestId('renewed')).toHaveAttribute('aria-live', 'polite');
	await expect(countdown).not.toHaveAttribute('aria-live');

	// the validity on screen is that of the code in the QR (read from the pixels), not the pre-issued next one's
	const text = await decodeQr(page, qr);
	const verdict = await coreVerify(server.origin, text, scannedAt(text));
	expect(verdict.verdict).toBe('valid');
	const exp = verdict.claims!.exp * 1000;
	await expect(page.getByTestId('valid-until')).toHaveAttribute('datetime', new Date(exp).toISOString());
	await expect(page.getByTestId('valid-until')).toHaveText(await shown(page, exp));
	await expect(page.getByTestId('next-code')).toContainText('自动切换');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByTestId('next-code')).toContainText('switches to it by itself');
	await expect(countdown).toHaveText(/^Live code renews in \d+ s$/);
	await page.getByRole('button', { name: '中文' }).click();

	// A quarantine order from the health authority ending in 3 hours: red, the order's dates, the end promised.
	await page.clock.resume();
	const until = start + 3 * HOUR;
	const file = join(FILES, 'quarantine.json');
	writeFileSync(
		file,
		JSON.stringify([{ idNumber: ZHANG.idNumber, from: new Date(start - HOUR).toISOString(), until: new Date(until).toISOString() }])
	);
	execFileSync(process.execPath, ['bin/tongxing.js', 'import', 'health', file, '--kind', 'quarantine', '--format', 'json'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		stdio: 'ignore'
	});
	await page.reload();
	await expect(page.locator('[data-colour="red"]').first()).toBeVisible();
	const [me] = await explanations(page);
	const x = me!.explanation!;
	expect(x.path).toEqual([{ reason: 'quarantine-order', kind: 'quarantine-ends', until: Math.floor(until / 1000) }]);
	expectRule(x, 'quarantine-order');
	await expectExplained(page, x, { 'quarantine-order': '卫生健康部门（检测、病例、隔离）' });
	const promised = await shown(page, Math.floor(until / 1000) * 1000);
	await expect(page.getByTestId('green-outlook')).toHaveText(`如无新情况，将于 ${promised} 转为绿码。`);
	await axe(page);
	// The promised time comes while the phone is offline (the red code is still within its validity): the page says
	// so. (Online, the next sync would correct the jumped clock by the server's time.)
	await context.setOffline(true);
	await page.clock.fastForward(3 * HOUR + 60_000);
	await expect(page.getByTestId('green-outlook')).toHaveText(`${promised} 已到：联网刷新后即可更新为绿码。`);
	await context.close();
});

test('server stopped, the phone still online: "server unreachable" with the saved code’s age, within seconds of the failed sync, every reload', async ({
	browser
}) => {
	// a new phone of 张伟's (declared above, or here when this test runs alone)
	const { context, page } = await declared(browser, ZHANG);
	await expect(page.getByTestId('updated')).toHaveText('刚刚更新');
	await expect(page.getByTestId('offline')).toHaveCount(0);
	await waitForServiceWorker(page);
	await server.stop();
	for (let i = 0; i < 20; i++) {
		await page.reload();
		await expect(page.getByTestId('live-qr')).toBeVisible({ timeout: 30_000 });
		// the first sync round after the load fails at once (connection refused): the note within 5 s of the code
		await expect(page.getByTestId('offline')).toHaveText(/^无法连接服务器：显示本设备保存的健康码，(不到 1 分钟前更新|\d+ 分钟前更新)$/, {
			timeout: 5_000
		});
		await expect(page.getByTestId('offline')).toHaveAttribute('data-reason', 'server');
		await expect(page.getByTestId('updated')).toHaveCount(0);
	}
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByTestId('offline')).toHaveText(/^Server unreachable: showing the code saved on this phone, updated/);
	await axe(page);
	await context.close();
	server = await startServer(PORT, DATA_DIR);
});

test('the promised date on the server’s clock too: restarted 4 h later (demo clock), the review job turns the quarantined resident green through the normal path', async ({
	browser
}) => {
	const now = Date.now();
	const until = now + 2 * HOUR;
	const file = join(FILES, 'quarantine-2.json');
	writeFileSync(
		file,
		JSON.stringify([{ idNumber: ZHANG.idNumber, from: new Date(now - HOUR).toISOString(), until: new Date(until).toISOString() }])
	);
	execFileSync(process.execPath, ['bin/tongxing.js', 'import', 'health', file, '--kind', 'quarantine', '--format', 'json'], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR },
		stdio: 'ignore'
	});
	if (!zhangDeclared) {
		// run alone: he needs an account and a (red) code before the order ends, or there is nothing to turn green
		const first = await declared(browser, ZHANG);
		await expect(first.page.locator('[data-colour="red"]').first()).toBeVisible();
		await first.context.close();
	}
	// Red now (the import recoloured him). Nothing arrives when the order ends: only the server's review job (run at
	// start, then every minute) can turn him green. Restart the server 4 h later on the demo clock — after every order
	// of his has ended (this one, and the 3-hour one above when the file runs in order) — and look with a phone on
	// the same clock.
	await server.stop();
	server = await startServer(PORT, DATA_DIR, { env: { TONGXING_DEMO_CLOCK_OFFSET_MS: String(4 * HOUR) } });
	const { context, page } = await declared(browser, ZHANG, { clockAt: now + 4 * HOUR });
	await expect(page.locator('[data-colour="green"]').first()).toBeVisible();
	await expect(page.getByTestId('green-outlook')).toHaveCount(0);
	const [me] = await explanations(page);
	expect(me!.reasons).toEqual([]);
	// the history: red from the quarantine order, then green at the review, after the order's end
	await page.goto('/app/history');
	const rows = page.locator('tbody tr');
	const review = rows.filter({ has: page.getByTestId('history-review') });
	await expect(review).toHaveCount(1);
	await expect(review.locator('[data-colour="green"]')).toBeVisible();
	await expect(review).toContainText('到期复核：此前的原因已到期');
	await expect(rows.filter({ has: page.locator('[data-colour="red"]') }).first()).toContainText('处于隔离管控期');
	const history = (await (await page.request.get('/api/v1/me/history')).json()) as {
		history: { at: number; colour: string; actor: string }[];
	};
	const reviewed = history.history.find((e) => e.actor === 'system/review')!;
	expect(reviewed.colour).toBe('green');
	expect(reviewed.at).toBeGreaterThanOrEqual(until);
	await axe(page);
	await context.close();
	await server.stop();
	server = await startServer(PORT, DATA_DIR);
});
