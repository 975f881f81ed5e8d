/**
 * A one-frame YUV4MPEG2 video of a QR for Chromium's fake camera (--use-file-for-fake-video-capture; Chromium
 * loops it). Written by hand (stack.md §Q4): the QR's modules into the Y plane, U = V = 128 (grey), 640×480.
 * The QR is rendered with renderReadableQr, as the resident app draws it.
 */
import { writeFileSync } from 'node:fs';
import { rasterize, type QrMatrix } from '../../src/lib/qr/matrix.js';
import { renderReadableQr } from '../../src/lib/qr/render-readable.js';

/** `qr`: the code text (rendered readable, as the resident app does) or a given matrix (e.g. one zxing misses). */
/** `qr` null: a blank grey frame (a camera pointed at nothing). `invert`: light modules on dark. */
export function writeQrY4m(
	path: string,
	qr: string | QrMatrix | null,
	opts: { width?: number; height?: number; scale?: number; invert?: boolean } = {}
): void {
	const W = opts.width ?? 640,
		H = opts.height ?? 480;
	const matrix = typeof qr === 'string' ? renderReadableQr(qr).matrix : qr;
	const img = matrix ? rasterize(matrix, { scale: opts.scale ?? 5, quiet: 4 }) : { width: 0, height: 0, gray: new Uint8Array(0) };
	const y = new Uint8Array(W * H).fill(235);
	const ox = Math.floor((W - img.width) / 2),
		oy = Math.floor((H - img.height) / 2);
	for (let r = 0; r < img.height; r++) {
		for (let c = 0; c < img.width; c++) {
			const X = ox + c,
				Y = oy + r;
			// Studio-swing luma (16–235), as a camera delivers it.
			const g = img.gray[r * img.width + c]!;
			if (X >= 0 && Y >= 0 && X < W && Y < H) y[Y * W + X] = 16 + Math.round(((opts.invert ? 255 - g : g) / 255) * 219);
		}
	}
	const uv = new Uint8Array((W / 2) * (H / 2) * 2).fill(128);
	const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
	writeFileSync(path, Buffer.concat([header, Buffer.from(y), Buffer.from(uv)]));
}
