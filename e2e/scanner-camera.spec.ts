/**
 * The scanner's camera path in real Chromium with a fake camera (stack.md §Q4): each video is a one-frame Y4M
 * of a QR made from a code issued in the test, so every video needs its own browser launch. Live codes are
 * rendered right before the launch (a live proof is only accepted for 30–60 s).
 * - a live green code → admit; the same code's screenshot (old live proof) → refuse, stale-live-proof;
 * - a QR html5-qrcode's zxing cannot find (a mask it misses, stack.md §Q5) → read by the jsQR fallback.
 */
import { expect, test, type Browser, type BrowserType } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { timeStep } from '../src/lib/core/live-proof.js';
import { qrMatrix, rasterize, type MaskPattern, type QrMatrix } from '../src/lib/qr/matrix.js';
import { decodeWithZxing } from '../src/lib/qr/zxing-decode.js';
import { enrol, issue, liveQr } from './scanner/codes.js';
import { enrolPage, readVerdict } from './scanner/page.js';
import { writeQrY4m } from './scanner/y4m.js';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const VIDEO_DIR = join(import.meta.dirname, '..', 'test-results', 'scanner-videos');

export function launchWithCamera(chromium: BrowserType, y4m: string): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`]
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

/** A matrix for `text` that html5-qrcode's zxing build misses at the video's scale, if any mask does. */
function zxingMiss(text: string): QrMatrix | null {
	for (const p of [0, 1, 2, 3, 4, 5, 6, 7] as MaskPattern[]) {
		const m = qrMatrix(text, { maskPattern: p });
		// The browser resamples the frame (html5-qrcode's crop box, the video size), so require a miss at every
		// scale near the video's 5 px/module, fractional ones included: such symbols miss in the browser too.
		if ([5, 4, 6, 4.5, 5.5, 4.8, 5.2, 3, 7].every((scale) => decodeWithZxing(rasterize(m, { scale, quiet: 4 })) === null)) return m;
	}
	return null;
}

test('fake camera: live code → admit; its screenshot → refuse; a QR zxing misses → jsQR fallback', async ({ playwright }) => {
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

	let missed: QrMatrix | null = null;
	for (let i = 0; i < 60 && !missed; i++) missed = zxingMiss((await issue(DATA_DIR, { kind: 'paper' })).qr);
	expect(missed, 'no paper code with a mask zxing misses in 60 tries').not.toBeNull();
	const hard = join(VIDEO_DIR, 'zxing-miss.y4m');
	writeQrY4m(hard, missed!);
	const c = await cameraVerdict(playwright.chromium, hard, code);
	expect(c.verdict).toMatchObject({ outcome: 'admit', verdict: 'valid' });
	expect(c.decoder).toBe('jsqr');
});
