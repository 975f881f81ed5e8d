// Paints a QrMatrix onto a canvas, pixel-exact, so what the resident shows is the raster that
// renderReadableQr proved readable (same modules, same quiet zone).
import type { QrMatrix } from './matrix';

export interface DrawOptions {
	/** Canvas pixels per module; rounded down to an integer so module edges stay crisp. */
	scale: number;
	/** Quiet zone in modules (4 is the spec minimum and what the readability check assumes). */
	quiet?: number;
	dark?: string;
	light?: string;
}

/**
 * Resizes `canvas` to (size + 2*quiet) * scale square and draws the code. If CSS then shows it
 * at another size, give the element `image-rendering: pixelated` so the browser does not blur it.
 */
export function drawToCanvas(canvas: HTMLCanvasElement, matrix: QrMatrix, opts: DrawOptions): void {
	const scale = Math.max(1, Math.floor(opts.scale));
	const quiet = opts.quiet ?? 4;
	const side = (matrix.size + 2 * quiet) * scale;
	canvas.width = side;
	canvas.height = side;
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('2D canvas context unavailable');
	ctx.fillStyle = opts.light ?? '#fff';
	ctx.fillRect(0, 0, side, side);
	ctx.fillStyle = opts.dark ?? '#000';
	const { size, modules } = matrix;
	for (let r = 0; r < size; r++) {
		// One rectangle per horizontal run of dark modules: fewer calls, and no hairline seams
		// between neighbouring modules.
		for (let c = 0; c < size;) {
			if (!modules[r * size + c]) {
				c++;
				continue;
			}
			const start = c;
			while (c < size && modules[r * size + c]) c++;
			ctx.fillRect((start + quiet) * scale, (r + quiet) * scale, (c - start) * scale, scale);
		}
	}
}
