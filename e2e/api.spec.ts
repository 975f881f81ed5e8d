/**
 * The issuer's HTTP API as the resident app and scanners use it, against the production build:
 * sign-in with a one-time code from the demo outbox, device registration, declaration, current + next codes
 * with ETag, a live QR that verifies offline (core verifier and the `tongxing verify` CLI), the trust and
 * status lists, and the bad inputs: each gets a specific problem+json and writes nothing.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url } from '../src/lib/core/bytes.js';
import { codeText } from '../src/lib/core/code-text.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../src/lib/core/ed25519/tweetnacl.js';
import { encodeLiveCode, timeStep } from '../src/lib/core/live-proof.js';
import { chainScanEvent, type ScanEvent } from '../src/lib/core/scan-log.js';
import { verifyCodeWithDocuments } from '../src/lib/core/verify-documents.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const device = tweetnaclKeyPair(new Uint8Array(32).fill(42));

async function signIn(api: APIRequestContext, phone: string): Promise<void> {
	const otp = await api.post('/api/v1/auth/otp', { data: { phone } });
	expect(otp.status()).toBe(200);
	const { challengeId } = (await otp.json()) as { challengeId: string };
	const outbox = (await (await api.get(`/api/v1/dev/outbox?phone=${phone}`)).json()) as { messages: { text: string }[] };
	const code = /\d{6}/.exec(outbox.messages[0]!.text)![0];
	const session = await api.post('/api/v1/auth/session', { data: { challengeId, phone, code } });
	expect(session.status()).toBe(200);
}

const declaration = {
	name: '张伟',
	idNumber: '440305199003071236',
	phone: '13800138000',
	region: '440305',
	addressDetail: '科技园 1 栋',
	temperature: 36.6,
	symptoms: ['none'],
	travel: []
};

test.describe('issuer API', () => {
	test('sign in → device → declare → codes (ETag) → a live QR that verifies offline', async ({ playwright }) => {
		const api = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { origin: ORIGIN } });
		await signIn(api, '13800138000');
		expect((await api.put('/api/v1/me/device', { data: { publicKey: toBase64Url(device.publicKey) } })).status()).toBe(204);
		const declared = await api.post('/api/v1/declarations', { data: declaration });
		expect(declared.status()).toBe(201);
		expect(await declared.json()).toMatchObject({ status: 'verified', colour: 'green', codesIssued: true });

		const codes = await api.get('/api/v1/me/codes');
		expect(codes.status()).toBe(200);
		const etag = codes.headers()['etag']!;
		expect(((await codes.json()) as { people: { codes: unknown[] }[] }).people[0]!.codes).toHaveLength(2);
		expect((await api.get('/api/v1/me/codes', { headers: { 'if-none-match': etag } })).status()).toBe(304);
		// A change (here: a second declaration, fever → yellow) moves the ETag: the old one gets the new codes.
		expect((await api.post('/api/v1/declarations', { data: { ...declaration, temperature: 38.3 } })).status()).toBe(201);
		const changed = await api.get('/api/v1/me/codes', { headers: { 'if-none-match': etag } });
		expect(changed.status()).toBe(200);
		expect(((await changed.json()) as { people: { codes: { colour: string }[] }[] }).people[0]!.codes[0]!.colour).toBe('yellow');
		expect((await api.post('/api/v1/declarations', { data: declaration })).status()).toBe(201);
		const green = await api.get('/api/v1/me/codes');
		const greenEtag = green.headers()['etag']!;
		const body = (await green.json()) as { people: { codes: { credential: string; colour: string }[] }[] };
		expect(body.people[0]!.codes.map((c) => c.colour)).toEqual(['green', 'green']);

		const config = (await (await api.get('/api/v1/config')).json()) as { rootPublicKey: string };
		const trust = await api.get('/.well-known/tongxing/trust-list');
		expect(trust.headers()['content-type']).toBe('application/cose');
		expect((await api.get('/.well-known/tongxing/trust-list', { headers: { 'if-none-match': trust.headers()['etag']! } })).status()).toBe(
			304
		);
		const status = await api.get('/api/v1/status/440300');
		const now = Date.now();
		const qr = codeText(await encodeLiveCode(fromBase64Url(body.people[0]!.codes[0]!.credential)!, timeStep(now), device.sign));
		const verdict = await verifyCodeWithDocuments(qr, {
			trustList: new Uint8Array(await trust.body()),
			statusLists: [new Uint8Array(await status.body())],
			rootPublicKey: fromBase64Url(config.rootPublicKey)!,
			now,
			backend: tweetnaclBackend
		});
		expect(verdict).toMatchObject({ verdict: 'valid', claims: { colour: 'green', maskedName: '张*', idSuffix: '1236' } });
		// The CLI reads the same published documents from the server's data directory.
		const cli = execFileSync(process.execPath, ['bin/tongxing.js', 'verify', qr], { env: { ...process.env, DATA_DIR }, encoding: 'utf8' });
		expect(JSON.parse(cli)).toMatchObject({ verdict: 'valid', reason: 'ok' });

		const history = (await (await api.get('/api/v1/me/history')).json()) as { history: { colour: string; reasons: string[] }[] };
		expect(history.history[0]).toMatchObject({ colour: 'green', reasons: ['no-adverse-data'] });

		const session = (await api.storageState()).cookies.find((c) => c.name === 'tx_session')!.value;
		expect((await api.get('/api/v1/me/codes', { headers: { cookie: `tx_session=${session}`, 'if-none-match': greenEtag } })).status()).toBe(
			304
		);
		expect((await api.delete('/api/v1/auth/session')).status()).toBe(204);
		expect((await api.get('/api/v1/me/codes')).status()).toBe(401);
		// The ended session's token with a current ETag: refused, never a 304 (codes-etag.ts's fast path checks the session).
		expect((await api.get('/api/v1/me/codes', { headers: { cookie: `tx_session=${session}`, 'if-none-match': greenEtag } })).status()).toBe(
			401
		);
		await api.dispose();
	});

	test('bad input gets a specific problem+json and writes nothing', async ({ playwright }) => {
		const api = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { origin: ORIGIN } });
		const problem = async (p: Promise<{ status(): number; headers(): Record<string, string>; json(): Promise<unknown> }>) => {
			const r = await p;
			expect(r.headers()['content-type']).toBe('application/problem+json');
			return { status: r.status(), code: ((await r.json()) as { code: string }).code };
		};
		expect(await problem(api.get('/api/v1/me/codes'))).toEqual({ status: 401, code: 'auth/required' });
		// a path SvelteKit cannot percent-decode: our problem, not its HTML error page
		expect(await problem(api.get('/api/v1/appeals/%E4%B8'))).toEqual({ status: 400, code: 'request/malformed-path' });
		expect(
			await problem(api.post('/api/v1/auth/otp', { headers: { 'content-type': 'application/json' }, data: Buffer.from('{"phone": ') }))
		).toEqual({ status: 400, code: 'request/malformed-json' });
		expect(await problem(api.post('/api/v1/auth/otp', { headers: { 'content-type': 'text/plain' }, data: 'phone=1' }))).toEqual({
			status: 415,
			code: 'request/content-type'
		});
		expect(await problem(api.post('/api/v1/auth/otp', { data: { phone: '13800138000', admin: true } }))).toEqual({
			status: 400,
			code: 'request/unknown-field'
		});
		expect(await problem(api.post('/api/v1/auth/otp', { data: { phone: 13800138000 } }))).toEqual({ status: 400, code: 'request/invalid' });
		expect(await problem(api.post('/api/v1/auth/otp', { data: { phone: 'x'.repeat(5000) } }))).toEqual({
			status: 413,
			code: 'request/too-large'
		});
		expect(
			await problem(api.post('/api/v1/auth/session', { data: { challengeId: 'nope', phone: '13900139000', code: '123456' } }))
		).toEqual({ status: 400, code: 'otp/invalid' });
		expect(await problem(api.get('/api/v1/status/44'))).toEqual({ status: 400, code: 'status/region' });

		await signIn(api, '13900139000');
		const invalid = await api.post('/api/v1/declarations', {
			data: { ...declaration, phone: '13900139000', temperature: 'hot', idNumber: '440304198511124568' }
		});
		expect(invalid.status()).toBe(422);
		const fields = ((await invalid.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
		expect(fields).toEqual(['idNumber', 'temperature']);
		expect(await problem(api.post('/api/v1/declarations', { data: { ...declaration, phone: '13900139000' } }))).toEqual({
			status: 422,
			code: 'identity/phone-mismatch'
		});
		// A cross-site page cannot use the resident's cookie.
		expect(
			await problem(
				api.post('/api/v1/appeals', { headers: { origin: 'http://evil.example' }, data: { personId: 'x', text: 'hello there' } })
			)
		).toEqual({ status: 403, code: 'request/cross-site' });
		expect(((await (await api.get('/api/v1/me/codes')).json()) as { people: unknown[] }).people).toEqual([]);
		await api.dispose();
	});
});

test.describe('scans and instances', () => {
	test('a guard device uploads its hash-chained scan log; re-sending is idempotent', async ({ playwright }) => {
		const cli = (...args: string[]) =>
			execFileSync(process.execPath, ['bin/tongxing.js', ...args], { env: { ...process.env, DATA_DIR }, encoding: 'utf8' }).trim();
		const venue = cli('venue', 'add', '--name', '南山图书馆', '--region', '440305');
		const enrolment = JSON.parse(cli('guard', 'enrol', venue)) as { deviceId: string; token: string; venue: { id: string } };
		const api = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { authorization: `Bearer ${enrolment.token}` } });
		let prev: ScanEvent | null = null;
		const events: ScanEvent[] = [];
		for (let i = 0; i < 3; i++) {
			prev = chainScanEvent(prev, {
				eventId: `e2e-scan-${i}-xyz`,
				deviceId: enrolment.deviceId,
				venueId: enrolment.venue.id,
				scannedAt: Date.now(),
				codeId: null,
				verdict: 'valid',
				reason: 'ok'
			});
			events.push(prev);
		}
		const first = (await (await api.post('/api/v1/scans', { data: { events } })).json()) as { acks: { status: string }[]; gaps: unknown[] };
		expect(first.acks.map((a) => a.status)).toEqual(['accepted', 'accepted', 'accepted']);
		const again = (await (await api.post('/api/v1/scans', { data: { events: [...events, { eventId: 'broken' }] } })).json()) as {
			acks: { status: string }[];
		};
		expect(again.acks.map((a) => a.status).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'rejected']);
		const stranger = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { authorization: 'Bearer nope' } });
		expect((await stranger.post('/api/v1/scans', { data: { events } })).status()).toBe(401);
		await api.dispose();
		await stranger.dispose();
	});

	test('two instances on one database: a code requested on one signs in on the other', async ({ playwright }) => {
		const port = 4329;
		const second = spawn(process.execPath, ['build'], {
			env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR },
			stdio: 'ignore'
		});
		try {
			const other = `http://127.0.0.1:${port}`;
			await expect.poll(async () => (await fetch(`${other}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout: 15_000 }).toBe(200);
			const a = await playwright.request.newContext({ baseURL: ORIGIN });
			const b = await playwright.request.newContext({ baseURL: other, extraHTTPHeaders: { origin: other } });
			const phone = '13700137000';
			const { challengeId } = (await (await a.post('/api/v1/auth/otp', { data: { phone } })).json()) as { challengeId: string };
			const outbox = (await (await b.get(`/api/v1/dev/outbox?phone=${phone}`)).json()) as { messages: { text: string }[] };
			const code = /\d{6}/.exec(outbox.messages[0]!.text)![0];
			expect((await b.post('/api/v1/auth/session', { data: { challengeId, phone, code } })).status()).toBe(200);
			// The session made on B works on A (sessions live in the database).
			const cookie = (await b.storageState()).cookies.find((c) => c.name === 'tx_session')!;
			expect((await a.get('/api/v1/me/codes', { headers: { cookie: `tx_session=${cookie.value}` } })).status()).toBe(200);
			await a.dispose();
			await b.dispose();
		} finally {
			second.kill('SIGTERM');
		}
	});
});
