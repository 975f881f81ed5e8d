/**
 * The rear camera through html5-qrcode (zxing-js; the native BarcodeDetector where the browser has one),
 * continuous at 10 fps. html5-qrcode's zxing cannot locate some QR symbols at all (stack.md §Q5: a failing
 * symbol fails on every frame). Our resident app renders codes zxing is proven to read, but codes printed or
 * rendered elsewhere may hit it, so when zxing has found nothing for FALLBACK_AFTER_MS the current video frame
 * also goes to jsQR (a second, maintained decoder with its own finder), at most once per FALLBACK_EVERY_MS.
 * Every other fallback frame jsQR tries the inverted image (light modules on dark: dark-mode renders, some
 * prints), which zxing-js never reads (0 of 20 in Node, src/lib/qr zxing build). The cost per fallback frame is recorded (`stats`,
 * performance entries tx-jsqr-hit / tx-jsqr-miss) and benched (bench/scanner.ts, docs/benchmarks.md).
 */
import type { Html5Qrcode } from 'html5-qrcode';

export const FALLBACK_AFTER_MS = 1500;
export const FALLBACK_EVERY_MS = 500;

export interface CameraStats {
	zxingHits: number;
	jsqrRuns: number;
	jsqrHits: number;
	jsqrTotalMs: number;
}

export interface Camera {
	stop(): Promise<void>;
	pause(): void;
	resume(): void;
	readonly stats: CameraStats;
}

export type DecodedHandler = (text: string, meta: { decoder: 'zxing' | 'jsqr'; decodedAt: number }) => void;

export async function startCamera(elementId: string, onDecoded: DecodedHandler): Promise<Camera> {
	const [{ Html5Qrcode, Html5QrcodeSupportedFormats }, { default: jsQR }] = await Promise.all([import('html5-qrcode'), import('jsqr')]);
	const stats: CameraStats = { zxingHits: 0, jsqrRuns: 0, jsqrHits: 0, jsqrTotalMs: 0 };
	const reader: Html5Qrcode = new Html5Qrcode(elementId, {
		formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
		useBarCodeDetectorIfSupported: true,
		verbose: false
	});
	let lastHit = performance.now();
	let lastFallback = 0;
	// One polarity per fallback frame (alternating): half the cost of jsQR's 'attemptBoth' on every frame.
	let invertNext = false;
	let paused = false;
	const canvas = document.createElement('canvas');
	const ctx2d = canvas.getContext('2d', { willReadFrequently: true });

	const fallback = () => {
		const now = performance.now();
		if (paused || !ctx2d || now - lastHit < FALLBACK_AFTER_MS || now - lastFallback < FALLBACK_EVERY_MS) return;
		lastFallback = now;
		const video = document.querySelector<HTMLVideoElement>(`#${elementId} video`);
		if (!video || video.readyState < 2 || !video.videoWidth) return;
		const scale = Math.min(1, 800 / video.videoWidth);
		canvas.width = Math.round(video.videoWidth * scale);
		canvas.height = Math.round(video.videoHeight * scale);
		ctx2d.drawImage(video, 0, 0, canvas.width, canvas.height);
		const img = ctx2d.getImageData(0, 0, canvas.width, canvas.height);
		// jsQR 1.4.0's own 'onlyInvert' never builds the inverted image (it scans undefined), so invert here.
		if (invertNext) {
			const d = img.data;
			for (let i = 0; i < d.length; i += 4) {
				d[i] = 255 - d[i]!;
				d[i + 1] = 255 - d[i + 1]!;
				d[i + 2] = 255 - d[i + 2]!;
			}
		}
		const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
		invertNext = !invertNext;
		stats.jsqrRuns++;
		stats.jsqrTotalMs += performance.now() - now;
		// One entry per fallback frame (grab + jsQR), for the benchmark: what the second decoder costs.
		performance.measure(found?.data ? 'tx-jsqr-hit' : 'tx-jsqr-miss', { start: now, end: performance.now() });
		if (found?.data) {
			stats.jsqrHits++;
			lastHit = performance.now();
			onDecoded(found.data, { decoder: 'jsqr', decodedAt: lastHit });
		}
	};

	await reader.start(
		{ facingMode: 'environment' },
		{ fps: 10, qrbox: (w, h) => ({ width: Math.floor(Math.min(w, h) * 0.8), height: Math.floor(Math.min(w, h) * 0.8) }) },
		(text) => {
			if (paused) return;
			lastHit = performance.now();
			stats.zxingHits++;
			onDecoded(text, { decoder: 'zxing', decodedAt: lastHit });
		},
		() => fallback()
	);
	return {
		stats,
		pause() {
			paused = true;
		},
		resume() {
			paused = false;
			lastHit = performance.now();
		},
		async stop() {
			paused = true;
			try {
				await reader.stop();
			} catch {
				// already stopped (html5-qrcode #756/#688: stop during a transition throws)
			}
			reader.clear();
		}
	};
}
