/**
 * The scanner's camera path in real Chromium with a fake camera (stack.md §Q4): each video is a one-frame Y4M
 * of a QR made from a code issued in the test, so every video needs its own browser launch. Live codes are
 * rendered right before the launch (a live proof is only accepted for 30–60 s).
 * - a live green code → admit; the same code's screenshot (old live proof) → refuse, stale-live-proof;
 * - a QR html5-qrcode's zxing cannot find (light on dark, as dark-mode renders draw it) → read by the jsQR fallback.
 */
import { expect, test, type Browser, type BrowserType } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { timeStep } from '../src/lib/core/live-proof.js';
import { enrol, issue, liveQr } from './scanner/codes.js';
import { enrolPage, readVerdict } from './scanner/page.js';
import { writeQrY4m } from './scanner/y4m.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const VIDEO_DIR = join(import.meta.dirname, '..', 'test-results', 'scanner-videos');

export function launchWithCamera(chromium: BrowserType, y4m: string): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--no-first-run',
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${y4m}`
		]
	});
}

async function cameraVerdict(chromium: BrowserType, y4m: string, enrolmentCode: string) {
	const browser = await launchWithCamera(chromium, y4m);
	try {
		const context = await browser.newContext({ permissions: ['camera'] });
		const page = await context.newPage();
		await enrolPage(page, ORIGIN, enrolmentCode);
		await page.goto(`${ORIGIN}/scan?camera=1`);
		const verdict = await readVerdict(page);
		const decoder = await page.evaluate(() => document.body.dataset.lastDecoder);
		const frameToVerdict = await page.evaluate(() => performance.getEntriesByName('tx-frame-to-verdict').map((e) => e.duration));
		return { verdict, decoder, frameToVerdict };
	} finally {
		await browser.close();
	}
}

test('fake camera: live code → admit; its screenshot → refuse; an inverted QR zxing cannot find → jsQR fallback', async ({
	playwright
}) => {
	test.setTimeout(120_000);
	mkdirSync(VIDEO_DIR, { recursive: true });
	const { code } = enrol(DATA_DIR, 'demo-library');
	const phone = await issue(DATA_DIR);

	const live = join(VIDEO_DIR, 'live.y4m');
	writeQrY4m(live, await liveQr(phone));
	const a = await cameraVerdict(playwright.chromium, live, code);
	expect(a.verdict).toMatchObject({ outcome: 'admit', verdict: 'valid', reason: 'ok', recorded: 'true' });
	expect(a.frameToVerdict.length).toBe(1);

	const screenshot = join(VIDEO_DIR, 'screenshot.y4m');
	writeQrY4m(screenshot, await liveQr(phone, (timeStep(Date.now()) - 4) * 30_000));
	const b = await cameraVerdict(playwright.chromium, screenshot, code);
	expect(b.verdict).toMatchObject({ outcome: 'refuse', verdict: 'invalid', reason: 'stale-live-proof' });

	// Light modules on dark (a dark-mode render): html5-qrcode's zxing never finds it; the fallback does.
	const hard = join(VIDEO_DIR, 'inverted.y4m');
	writeQrY4m(hard, (await issue(DATA_DIR, { kind: 'paper' })).qr, { invert: true });
	const c = await cameraVerdict(playwright.chromium, hard, code);
	expect(c.verdict).toMatchObject({ outcome: 'admit', verdict: 'valid' });
	expect(c.decoder).toBe('jsqr');
});
