import { join } from 'node:path';
import { serveBundle } from '../scripts/browser/serve-bundle.js';
import { launchChromium } from './chromium.js';
import { vector } from './fixture-codes.js';

export interface BrowserVerifyResult {
	fastMs: number;
	tweetnaclMs: number;
	rawFastMs: number;
	rawTweetnaclMs: number;
}

export async function browserVerifyBench(): Promise<BrowserVerifyResult> {
	const server = await serveBundle(join(import.meta.dirname, 'browser', 'verify-entry.ts'));
	const browser = await launchChromium();
	try {
		const page = await browser.newPage();
		await page.goto(server.url);
		const v = vector('valid-green');
		const input = { qr: v.qr, trustList: v.trustList, statusList: v.statusList, rootPublicKey: v.rootPublicKey, now: v.now };
		return (await page.evaluate(
			(i) => (globalThis as unknown as { runBench: (x: unknown) => Promise<unknown> }).runBench(i),
			input
		)) as BrowserVerifyResult;
	} finally {
		await browser.close();
		await server.close();
	}
}
