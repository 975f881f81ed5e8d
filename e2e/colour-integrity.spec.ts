/**
 * "该红的没有红" must not happen: a resident keeps every code they were ever given — the first green codes
 * (superseded by a same-colour re-declaration), the pre-issued next ones and a printed paper code — then a
 * positive test turns them red. The guard's real scanner page, with lists fetched after the change, refuses
 * every one of those green codes as revoked and shows the new red code as red. The resident side speaks the
 * app's own wire protocol with a device key this test holds, so it can present any saved code with a live proof.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { toBase64Url } from '../src/lib/core/bytes.js';
import { tweetnaclKeyPair } from '../src/lib/core/ed25519/tweetnacl.js';
import { cli, enrol, liveQr, type Issued } from './scanner/codes.js';
import { dismiss, enrolPage, wedgeScan } from './scanner/page.js';
import { OwnServer } from './scanner/server.js';

const PORT = 4361;
const PHONE = '13800138000';
const DECLARATION = {
	name: '张伟',
	idNumber: '440305199003071236',
	phone: PHONE,
	region: '440305',
	addressDetail: '科技园 1 栋',
	temperature: 36.6,
	symptoms: ['none'],
	travel: []
};
const seed = new Uint8Array(32).fill(21);
const device = tweetnaclKeyPair(seed);

interface MyCodes {
	people: { codes: { credential: string; colour: string; iat: number }[] }[];
}

async function signIn(api: APIRequestContext): Promise<void> {
	const { challengeId } = (await (await api.post('/api/v1/auth/otp', { data: { phone: PHONE } })).json()) as { challengeId: string };
	const outbox = (await (await api.get(`/api/v1/dev/outbox?phone=${PHONE}`)).json()) as { messages: { text: string }[] };
	const code = /\d{6}/.exec(outbox.messages.at(-1)!.text)![0];
	expect((await api.post('/api/v1/auth/session', { data: { challengeId, phone: PHONE, code } })).status()).toBe(200);
	expect((await api.put('/api/v1/me/device', { data: { publicKey: toBase64Url(device.publicKey) } })).status()).toBe(204);
}

const codesNow = async (api: APIRequestContext) => ((await (await api.get('/api/v1/me/codes')).json()) as MyCodes).people[0]!.codes;
const asIssued = (credential: string): Issued => ({ qr: '', codeId: '', credential, deviceSeed: toBase64Url(seed) });

test('after a turn to red the scanner refuses every earlier code: superseded, pre-issued next and paper', async ({ page, playwright }) => {
	const server = new OwnServer(PORT, mkdtempSync(join(tmpdir(), 'tx-integrity-')));
	await server.start();
	const api = await playwright.request.newContext({ baseURL: server.url, extraHTTPHeaders: { origin: server.url } });
	try {
		await signIn(api);
		expect((await api.post('/api/v1/declarations', { data: DECLARATION })).status()).toBe(201);
		const first = await codesNow(api);
		const paper = (await (await api.post('/api/v1/me/paper-code', { data: {} })).json()) as { text: string; colour: string };
		// the same declaration again: same colour, so the first codes are only superseded
		expect((await api.post('/api/v1/declarations', { data: DECLARATION })).status()).toBe(201);
		const second = await codesNow(api);
		const saved = [...first, ...second];
		expect(saved.map((c) => c.colour)).toEqual(['green', 'green', 'green', 'green']);
		expect(paper.colour).toBe('green');

		// a positive test arrives from the health source
		const key = cli(server.dataDir, 'source', 'add', 'health');
		const pushed = await api.post('/api/v1/sources/health/tests', {
			headers: { authorization: `Bearer ${key}` },
			data: { records: [{ idNumber: DECLARATION.idNumber, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), result: 'positive' }] }
		});
		expect(pushed.status()).toBe(200);
		const red = await codesNow(api);
		expect(red.map((c) => c.colour)).toEqual(['red', 'red']);

		// the guard's scanner, enrolled now: its lists know of the change
		await enrolPage(page, server.url, enrol(server.dataDir, 'demo-library').code);
		for (const c of saved) {
			// a pre-issued next code starts later: present it (and set the scanner's clock) inside its own window,
			// so the answer is about revocation, not "not yet valid"
			const at = Math.max(Date.now(), c.iat + 60_000);
			await page.clock.setSystemTime(at);
			expect(await wedgeScan(page, await liveQr(asIssued(c.credential), at))).toMatchObject({ verdict: 'invalid', reason: 'revoked' });
			await dismiss(page);
		}
		await page.clock.setSystemTime(Date.now());
		expect(await wedgeScan(page, paper.text)).toMatchObject({ verdict: 'invalid', reason: 'revoked' });
		await dismiss(page);
		// the current code is valid, and red: the green-only venue refuses entry
		expect(await wedgeScan(page, await liveQr(asIssued(red[0]!.credential)))).toMatchObject({
			outcome: 'refuse',
			verdict: 'valid',
			reason: 'ok'
		});
	} finally {
		await api.dispose();
		await server.stop();
	}
});
