/**
 * Facts cross borders, over HTTP between three processes (issue 14, docs/federation.md §Facts): a gateway
 * (TONGXING_ROLE=gateway) and two regions (440300 "A", 110105 "B", each with TONGXING_GATEWAY_URL, the same
 * national routing key and its own DATA_DIR), all `node build` on the first free ports of 4421–4429 (federation-fixture.ts). B's resident declares in B (green);
 * A's health source records a positive test for them; B's code turns red with the reason naming region A. Then the
 * gateway is stopped: A keeps the next fact in its outbox (shown pending with the error on A's console page) and
 * delivers it once when the gateway is back. B's console page lists what it received; axe 0.
 * The folders are onboarded by the ceremony, so every exchange key comes from a root-signed region certificate.
 * Processes are stopped by PID.
 * Second test: cross-region tracing through both console pages — B's staff ask A about a venue visit, A's staff
 * approve, the co-visitor (B's resident, known to A's carrier) is sent back to B as a fact and turns yellow there.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { join } from 'node:path';
import { toBase64Url } from '../src/lib/core/bytes.js';
import { tweetnaclKeyPair } from '../src/lib/core/ed25519/tweetnacl.js';
import Database from 'better-sqlite3';
import { federation, type FedProcess } from './federation-fixture.js';
import { cli } from './scanner/codes.js';

const A = '440300';
const B = '110105';
const PHONE = '13800138000';
const ID = '440305199003071236';
const NAME = '张伟';

/** The three processes (federation-fixture.ts), on the first free ports of this spec's range 4421–4429. */
async function setUp() {
	const fed = await federation({ regions: [A, B], ports: [4421, 4429], intervalMs: 500 });
	return { gw: fed.gateway, a: fed.regions[A]!, b: fed.regions[B]! };
}

const device = tweetnaclKeyPair(new Uint8Array(32).fill(33));

async function residentSignsIn(api: APIRequestContext): Promise<void> {
	const { challengeId } = (await (await api.post('/api/v1/auth/otp', { data: { phone: PHONE } })).json()) as { challengeId: string };
	const outbox = (await (await api.get(`/api/v1/dev/outbox?phone=${PHONE}`)).json()) as { messages: { text: string }[] };
	const code = /\d{6}/.exec(outbox.messages.at(-1)!.text)![0];
	expect((await api.post('/api/v1/auth/session', { data: { challengeId, phone: PHONE, code } })).status()).toBe(200);
	expect((await api.put('/api/v1/me/device', { data: { publicKey: toBase64Url(device.publicKey) } })).status()).toBe(204);
}

interface MyCodes {
	people: {
		codes: { colour: string }[];
		explanation?: { details: { reason: string; sourceRegions?: { code: string; name?: string }[] }[] } | null;
	}[];
}
const myCodes = async (api: APIRequestContext) => ((await (await api.get('/api/v1/me/codes')).json()) as MyCodes).people[0]!;

async function staffSignIn(page: Page, origin: string): Promise<void> {
	await page.goto(`${origin}/console/signin`);
	await page.getByLabel('用户名').fill('demo.staff');
	await page.getByLabel('密码').fill('tongxing-demo-console');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByText('已登录：demo.staff')).toBeVisible();
}

async function axe(p: Page): Promise<void> {
	const results = await new AxeBuilder({ page: p }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test('a positive test in A turns B’s resident red in B, naming A; with the gateway down the outbox waits and delivers once', async ({
	page,
	playwright
}) => {
	const { gw, a, b } = await setUp();
	await gw.start();
	await a.start();
	await b.start();
	const resident = await playwright.request.newContext({ baseURL: b.url, extraHTTPHeaders: { origin: b.url } });
	// data sources are servers, not browsers: no Origin, a bearer key
	const sources = await playwright.request.newContext();
	try {
		// B knows its resident (public-security register, carrier) and registers the routing hash with the gateway
		const psKey = cli(b.dataDir, 'source', 'add', 'public-security');
		const carrierKey = cli(b.dataDir, 'source', 'add', 'carrier');
		const push = (url: string, path: string, key: string, records: unknown[]) =>
			sources.post(`${url}/api/v1/sources/${path}`, { headers: { authorization: `Bearer ${key}` }, data: { records } });
		expect((await push(b.url, 'public-security/register', psKey, [{ idNumber: ID, name: NAME, region: B }])).status()).toBe(200);
		expect((await push(b.url, 'carrier/phones', carrierKey, [{ phone: PHONE, idNumber: ID }])).status()).toBe(200);
		await residentSignsIn(resident);
		const declared = await resident.post('/api/v1/declarations', {
			data: { name: NAME, idNumber: ID, phone: PHONE, region: B, addressDetail: '1 号', temperature: 36.6, symptoms: ['none'], travel: [] }
		});
		expect(declared.status()).toBe(201);
		expect((await myCodes(resident)).codes.map((c) => c.colour)).toContain('green');

		// A's health source records a positive test: A queues it, the gateway routes it, B applies it and recolours
		const healthKey = cli(a.dataDir, 'source', 'add', 'health');
		const test1 = { idNumber: ID, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), result: 'positive' };
		expect((await push(a.url, 'health/tests', healthKey, [test1])).status()).toBe(200);
		await expect.poll(async () => (await myCodes(resident)).codes.map((c) => c.colour), { timeout: 60_000 }).toEqual(['red', 'red']);
		const explained = (await myCodes(resident)).explanation?.details.find((d) => d.reason === 'positive-test');
		expect(explained?.sourceRegions).toEqual([{ code: A, name: '深圳市' }]);

		// the gateway goes down: A keeps the next fact, shown pending with the error on A's console page
		await gw.stop();
		const test2 = { idNumber: ID, sampledAt: new Date(Date.now() - 1_800_000).toISOString(), result: 'positive' };
		expect((await push(a.url, 'health/tests', healthKey, [test2])).status()).toBe(200);
		await staffSignIn(page, a.url);
		await page.goto(`${a.url}/console/federation`);
		await expect(page.getByRole('heading', { level: 1, name: '跨地区事实与协查' })).toBeVisible();
		await expect
			.poll(
				async () => {
					await page.reload();
					return page.getByTestId('outbox-counts').textContent();
				},
				{ timeout: 30_000 }
			)
			.toContain('待发送 1 条');
		// why it waits, in the page's language; the sender's technical detail only in the tooltip
		await expect(page.getByTestId('outbox')).toContainText('网关暂时无法连接，稍后重试');
		await expect(page.getByTestId('outbox').locator('[title^="unavailable:"]').first()).toBeVisible();
		await axe(page);

		// back up: delivered once, applied once in B
		await gw.start();
		await expect
			.poll(
				async () => {
					await page.reload();
					return page.getByTestId('outbox-counts').textContent();
				},
				{ timeout: 60_000 }
			)
			.toContain('待发送 0 条 · 已送达网关 2 条');
		await staffSignIn(page, b.url);
		await page.goto(`${b.url}/console/federation`);
		await expect
			.poll(
				async () => {
					await page.reload();
					return page.getByTestId('inbox').locator('tbody tr').count();
				},
				{ timeout: 60_000 }
			)
			.toBe(2);
		await expect(page.getByTestId('inbox')).toContainText(A);
		await expect(page.getByTestId('inbox')).toContainText('已应用');
		await axe(page);
	} finally {
		await resident.dispose();
		await sources.dispose();
		await b.stop();
		await a.stop();
		await gw.stop();
	}
});

/** B's resident as in the first test: registered in B, with a phone, declared green. */
async function residentOfB(b: FedProcess, resident: APIRequestContext, sources: APIRequestContext): Promise<void> {
	const push = (path: string, key: string, records: unknown[]) =>
		sources.post(`${b.url}/api/v1/sources/${path}`, { headers: { authorization: `Bearer ${key}` }, data: { records } });
	expect(
		(
			await push('public-security/register', cli(b.dataDir, 'source', 'add', 'public-security'), [{ idNumber: ID, name: NAME, region: B }])
		).status()
	).toBe(200);
	expect((await push('carrier/phones', cli(b.dataDir, 'source', 'add', 'carrier'), [{ phone: PHONE, idNumber: ID }])).status()).toBe(200);
	await residentSignsIn(resident);
	const declared = await resident.post('/api/v1/declarations', {
		data: { name: NAME, idNumber: ID, phone: PHONE, region: B, addressDetail: '1 号', temperature: 36.6, symptoms: ['none'], travel: [] }
	});
	expect(declared.status()).toBe(201);
}

/** datetime-local text in this machine's zone */
const local = (ms: number) => {
	const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
	return d.toISOString().slice(0, 16);
};

test('cross-region tracing through both consoles: B asks, A approves, B’s co-visitor turns yellow in B with region A named', async ({
	page,
	playwright
}) => {
	const { gw, a, b } = await setUp();
	await gw.start();
	await a.start();
	await b.start();
	const resident = await playwright.request.newContext({ baseURL: b.url, extraHTTPHeaders: { origin: b.url } });
	const sources = await playwright.request.newContext();
	try {
		await residentOfB(b, resident, sources);
		// A's carrier knows the traveller's phone (so A holds their routing hash); A's venue log has their visit
		const carrierA = cli(a.dataDir, 'source', 'add', 'carrier');
		const pushed = await sources.post(`${a.url}/api/v1/sources/carrier/phones`, {
			headers: { authorization: `Bearer ${carrierA}` },
			data: { records: [{ phone: PHONE, idNumber: ID }] }
		});
		expect(pushed.status()).toBe(200);
		const visitAt = Date.now() - 2 * 3_600_000;
		const db = new Database(join(a.dataDir, 'tongxing.sqlite'));
		try {
			const { ref } = db.prepare('SELECT ref FROM fed_known_routes').get() as { ref: string };
			db.prepare('INSERT INTO venue_visits (id, ref, venue_id, at) VALUES (?, ?, ?, ?)').run('e2e-visit-1', ref, 'demo-library', visitAt);
		} finally {
			db.close();
		}

		// B's staff ask A
		await staffSignIn(page, b.url);
		await page.goto(`${b.url}/console/federation`);
		await page.getByLabel('被请求地区代码（6 位）').fill(A);
		await page.getByLabel('对方场所编号').fill('demo-library');
		await page.getByLabel('到访开始').fill(local(visitAt - 20 * 60_000));
		await page.getByLabel('到访结束').fill(local(visitAt + 10 * 60_000));
		await page.getByLabel('用途（必填，双方审计记录）').fill('病例 7 流调');
		await page.getByRole('button', { name: '发送请求' }).click();
		await expect(page.getByTestId('federation-done')).toContainText('已发出');
		await axe(page);

		// A's staff see it, approve it
		await staffSignIn(page, a.url);
		await page.goto(`${a.url}/console/federation`);
		await expect
			.poll(
				async () => {
					await page.reload();
					return page.getByTestId('tracing').textContent();
				},
				{ timeout: 30_000 }
			)
			.toContain('待批准');
		await expect(page.getByTestId('tracing')).toContainText('病例 7 流调');
		await axe(page);
		await page.getByRole('button', { name: '批准并查询' }).click();
		await expect(page.getByTestId('federation-done')).toContainText('已查询：1 人');
		await expect(page.getByTestId('federation-done')).toContainText('1 人已发往其所属地区');

		// the co-visit reaches B: yellow, the reason naming A; B's list shows the answer
		await expect.poll(async () => (await myCodes(resident)).codes.map((c) => c.colour), { timeout: 60_000 }).toEqual(['yellow', 'yellow']);
		const explained = (await myCodes(resident)).explanation?.details.find((d) => d.reason === 'venue-co-visit');
		expect(explained?.sourceRegions).toEqual([{ code: A, name: '深圳市' }]);
		await staffSignIn(page, b.url);
		await page.goto(`${b.url}/console/federation`);
		await expect
			.poll(
				async () => {
					await page.reload();
					return page.getByTestId('tracing').textContent();
				},
				{ timeout: 30_000 }
			)
			.toContain('已答复');
	} finally {
		await resident.dispose();
		await sources.dispose();
		await b.stop();
		await a.stop();
		await gw.stop();
	}
});
