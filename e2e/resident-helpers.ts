/**
 * Shared by the resident e2e specs: a `node build` of our own (so a test can stop it for real), sign-in through
 * the UI with the demo SMS outbox, QR decoding from a real screenshot, and the `tongxing verify` CLI.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { fromBase64Url } from '../src/lib/core/bytes.js';
import { parseCodeText } from '../src/lib/core/code-text.js';
import { LIVE_PROOF_STEP_SECONDS } from '../src/lib/core/constants.js';
import { tweetnaclBackend } from '../src/lib/core/ed25519/tweetnacl.js';
import type { Verdict } from '../src/lib/core/verdict.js';
import { verifyCodeWithDocuments } from '../src/lib/core/verify-documents.js';

export const ROOT = join(import.meta.dirname, '..');

export interface Server {
	origin: string;
	dataDir: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/** `node <buildDir>` on 127.0.0.1:port with its own DATA_DIR; stopped by PID. */
export async function startServer(
	port: number,
	dataDir: string,
	opts: { buildDir?: string; fresh?: boolean; env?: Record<string, string> } = {}
): Promise<Server> {
	if (opts.fresh) rmSync(dataDir, { recursive: true, force: true });
	const child = spawn(process.execPath, [opts.buildDir ?? 'build'], {
		cwd: ROOT,
		// one phone signs in several times in a spec: a 1 s cool-down instead of the minute (auth/otp-config.ts)
		env: { TONGXING_OTP_COOLDOWN_SECONDS: '1', ...process.env, ...opts.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
		stdio: 'ignore'
	});
	const origin = `http://127.0.0.1:${port}`;
	await expect.poll(async () => (await fetch(`${origin}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout: 20_000 }).toBe(200);
	return {
		origin,
		dataDir,
		process: child,
		stop: () =>
			new Promise<void>((done) => {
				if (child.exitCode !== null) return done();
				child.once('exit', () => done());
				child.kill('SIGTERM');
			})
	};
}

/** Decode the QR inside `locator` from a screenshot (pixels, not the DOM). */
export async function decodeQr(page: Page, locator: Locator): Promise<string> {
	const png = await locator.screenshot();
	const img = await page.evaluate(async (b64) => {
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const ctx = canvas.getContext('2d')!;
		ctx.drawImage(bitmap, 0, 0);
		const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
		return { width: data.width, height: data.height, rgba: Array.from(data.data) };
	}, png.toString('base64'));
	const result = jsQR(Uint8ClampedArray.from(img.rgba), img.width, img.height);
	if (!result) throw new Error('no QR code found in the screenshot');
	return result.data;
}

/** `tongxing verify [--at ISO] text` against a data directory's published documents. */
export function cliVerify(
	dataDir: string,
	text: string,
	at?: number
): { verdict: string; reason: string; claims: Record<string, unknown> | null } {
	const args = ['bin/tongxing.js', 'verify', ...(at === undefined ? [] : ['--at', new Date(at).toISOString()]), text];
	try {
		return JSON.parse(
			execFileSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' })
		) as ReturnType<typeof cliVerify>;
	} catch (error) {
		// exit 1 = "not valid": the JSON verdict is still on stdout
		const out = (error as { stdout?: string }).stdout;
		if (out) return JSON.parse(out) as ReturnType<typeof cliVerify>;
		throw error;
	}
}

/** Sign in through /app/signin, reading the one-time code from the demo outbox. */
export async function signInUi(page: Page, origin: string, phone: string): Promise<void> {
	await page.goto(`${origin}/app/signin`);
	// One code per phone per cool-down (a minute; 1 s on the test servers, TONGXING_OTP_COOLDOWN_SECONDS): a second
	// sign-in soon after another one is refused until the server's cooldown has passed, however fast the machine ran the steps before. Ask again until the
	// server sends one (a few tries at most, far below the per-address limit). The number is typed again on every
	// try: on a loaded machine the first fill can land before the page has hydrated, which resets the field (CI
	// once sent {"phone":""} three times in a row).
	await expect(async () => {
		const field = page.getByLabel('手机号码');
		await field.fill(phone);
		await expect(field).toHaveValue(phone);
		await page.getByRole('button', { name: '获取验证码' }).click();
		await expect(page.getByRole('status').filter({ hasText: '验证码已发送' })).toBeVisible({ timeout: 5_000 });
	}).toPass({ timeout: 90_000, intervals: [1_000, 20_000] });
	const outbox = (await (await page.request.get(`${origin}/api/v1/dev/outbox?phone=${phone}`)).json()) as { messages: { text: string }[] };
	const code = /\d{6}/.exec(outbox.messages[0]!.text)![0];
	await page.getByLabel('短信验证码（6 位数字）').fill(code);
	await page.getByRole('button', { name: '登录', exact: true }).click();
}

export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** The core verifier (the scanner's), in this process, with the documents the server publishes now. */
export async function coreVerify(origin: string, text: string, at = Date.now()): Promise<Verdict> {
	const get = async (path: string) => {
		const r = await fetch(origin + path);
		if (!r.ok) throw new Error(`${path}: ${r.status}`);
		return r;
	};
	const config = (await (await get('/api/v1/config')).json()) as { rootPublicKey: string; region: string };
	return verifyCodeWithDocuments(text, {
		trustList: new Uint8Array(await (await get('/.well-known/tongxing/trust-list')).arrayBuffer()),
		statusLists: [new Uint8Array(await (await get(`/api/v1/status/${config.region}`)).arrayBuffer())],
		rootPublicKey: fromBase64Url(config.rootPublicKey)!,
		now: at,
		backend: tweetnaclBackend
	});
}

/**
 * The middle of the 30 s step a live code was signed for: when a guard scanning that screen would verify it.
 * A loaded test machine can take longer than a step between screenshot and verification.
 */
export function scannedAt(text: string): number {
	const parsed = parseCodeText(text);
	if (!('credential' in parsed) || !parsed.live) throw new Error('not a live code');
	return parsed.live.step * LIVE_PROOF_STEP_SECONDS * 1000 + 15_000;
}

/** Picks the place of residence on the declare page by searching its 6-digit code and choosing the one result. */
export async function pickRegion(page: Page, code: string): Promise<void> {
	await page.locator('#f-region-search').fill(code);
	await page
		.locator('#region-results')
		.getByRole('button', { name: new RegExp(code) })
		.click();
	await expect(page.locator('#h-region')).toContainText(code);
}
