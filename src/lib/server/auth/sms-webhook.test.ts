/**
 * The production SMS sender against a real local receiver (node:http on loopback): the one-time code arrives as
 * JSON with the bearer token; a refusing, unreachable or slow gateway is `sms/unavailable` (never a 500), and
 * neither the code nor the phone reaches any log line (production never uses the demo outbox: app.ts smsSender).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { requestOtp, verifyOtp } from './otp.js';
import { accountForPhone } from '../issuer/accounts.js';
import { webhookSms } from './sms-webhook.js';

interface Received {
	auth: string | undefined;
	type: string | undefined;
	body: { to: string; text: string };
}

let server: Server | undefined;
let f: IssuerFixture | undefined;
afterEach(async () => {
	await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
	server = undefined;
	await f?.close();
	f = undefined;
	vi.restoreAllMocks();
});

/** A receiver answering `status` (after `delayMs`); returns its URL and what it received. */
async function receiver(status: number, delayMs = 0): Promise<{ url: string; got: Received[] }> {
	const got: Received[] = [];
	server = createServer((req: IncomingMessage, res) => {
		let text = '';
		req.on('data', (c: Buffer) => (text += c.toString()));
		req.on('end', () => {
			got.push({ auth: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(text) as Received['body'] });
			setTimeout(() => res.writeHead(status).end(), delayMs);
		});
	});
	await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, got };
}

/** Everything written through console.* (any level) from now on, as one string. */
function consoleSpy(): () => string {
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
	return () => spies.flatMap((s) => s.mock.calls.flat().map(String)).join('\n');
}

const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

describe('webhookSms', () => {
	it('posts the message as JSON with the bearer token; a one-time code request goes through it and logs nothing', async () => {
		const r = await receiver(202);
		f = await issuerFixture();
		f.deps.sms = webhookSms(r.url, 'gateway-secret');
		const log = consoleSpy();
		const { challengeId } = await requestOtp(f.deps, { phone: '13800138000', clientIp: '127.0.0.1', nowMs: f.clock.now });
		expect(challengeId).toBeTruthy();
		expect(r.got).toHaveLength(1);
		expect(r.got[0]).toMatchObject({
			auth: 'Bearer gateway-secret',
			type: 'application/json',
			body: { to: expect.stringMatching(/13800138000$/) as string }
		});
		const code = /\d{6}/.exec(r.got[0]!.body.text)![0];
		// the whole sign-in: verify the code, find or create the account (phone sealed, never logged)
		await accountForPhone(f.deps, await verifyOtp(f.deps, { challengeId, phone: '13800138000', code, nowMs: f.clock.now }), f.clock.now);
		const logged = log();
		expect(logged).not.toContain(code);
		expect(logged).not.toContain('38000'); // no phone, not even masked
	});

	it('a failing gateway logs neither the phone nor the code', async () => {
		const r = await receiver(500);
		f = await issuerFixture();
		f.deps.sms = webhookSms(r.url, undefined);
		const log = consoleSpy();
		expect(await codeOf(requestOtp(f.deps, { phone: '13800138000', clientIp: '127.0.0.1', nowMs: f.clock.now }))).toBe('sms/unavailable');
		const code = /\d{6}/.exec(r.got[0]!.body.text)![0];
		expect(log()).not.toContain(code);
		expect(log()).not.toContain('38000');
	});

	it('a refusing, unreachable or slow gateway is sms/unavailable', async () => {
		const refusing = await receiver(500);
		expect(await codeOf(webhookSms(refusing.url, undefined).send('+8613800138000', 't', 0))).toBe('sms/unavailable');
		expect(refusing.got[0]!.auth).toBeUndefined();
		await new Promise<void>((done) => server!.close(() => done()));
		server = undefined;
		expect(await codeOf(webhookSms(refusing.url, undefined, 500).send('+8613800138000', 't', 0))).toBe('sms/unavailable');
		const slow = await receiver(200, 2_000);
		expect(await codeOf(webhookSms(slow.url, undefined, 200).send('+8613800138000', 't', 0))).toBe('sms/unavailable');
	});
});
