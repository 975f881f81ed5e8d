// QR module matrix + plain raster, with no canvas and no DOM, so the same code runs in the
// browser (resident screen) and under Node (tests, benchmark).
import QRCode from 'qrcode';

export type Ecc = 'L' | 'M' | 'Q' | 'H';
export type MaskPattern = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface QrMatrix {
	/** Modules per side (without quiet zone). */
	size: number;
	version: number;
	maskPattern: MaskPattern;
	/** size*size, row-major, 1 = dark. */
	modules: Uint8Array;
}

export interface GrayImage {
	width: number;
	height: number;
	/** width*height luminance, 0 = black, 255 = white. */
	gray: Uint8ClampedArray;
}

export interface RgbaImage {
	width: number;
	height: number;
	/** width*height*4, like ImageData.data. */
	rgba: Uint8ClampedArray;
}

// The QR alphanumeric set. Our payloads ("TX1:" + base45) are entirely inside it.
const ALNUM = /^[0-9A-Z $%*+\-./:]+$/;

/**
 * Builds the QR symbol. Throws (from qrcode) on empty text or text too long for any version.
 * Alphanumeric mode is forced when possible: qrcode's optimiser would otherwise split runs
 * of digits into numeric segments, which makes the symbol (and so its version and the
 * mask search in render-readable.ts) depend on accidents of the payload; one segment keeps it predictable. (For random base45
 * text qrcode picks one alphanumeric segment anyway; byte mode is left for other text.)
 */
export function qrMatrix(text: string, opts: { ecc?: Ecc; maskPattern?: MaskPattern } = {}): QrMatrix {
	const data = ALNUM.test(text) ? [{ data: text, mode: 'alphanumeric' as const }] : text;
	const qr = QRCode.create(data, {
		errorCorrectionLevel: opts.ecc ?? 'M',
		maskPattern: opts.maskPattern
	});
	const size = qr.modules.size;
	// qrcode's BitMatrix.data can hold `true` written into a Uint8Array (=1) but normalise
	// anyway and copy, so callers own the buffer.
	const modules = new Uint8Array(size * size);
	const src = qr.modules.data;
	for (let i = 0; i < modules.length; i++) modules[i] = src[i] ? 1 : 0;
	return { size, version: qr.version, maskPattern: qr.maskPattern as MaskPattern /* create() always sets it */, modules };
}

/**
 * Raster with a white quiet zone (default 4 modules, the spec minimum). An integer `scale`
 * gives crisp pixels; a fractional one is area-averaged (each pixel is the dark fraction it
 * covers), which is roughly what a screen or camera resampling the code produces: zxing's
 * misses differ between the two, so the readability check wants both.
 */
export function rasterize(m: QrMatrix, opts: { scale: number; quiet?: number }): GrayImage {
	const quiet = opts.quiet ?? 4;
	if (!(opts.scale >= 1)) throw new RangeError('scale must be >= 1');
	return Number.isInteger(opts.scale) ? rasterCrisp(m, opts.scale, quiet) : rasterArea(m, opts.scale, quiet);
}

function rasterCrisp(m: QrMatrix, scale: number, quiet: number): GrayImage {
	const side = (m.size + 2 * quiet) * scale;
	const gray = new Uint8ClampedArray(side * side).fill(255);
	// Paint one pixel row per module row, then copy it down: rows of a module row are identical.
	for (let r = 0; r < m.size; r++) {
		const start = (r + quiet) * scale * side;
		for (let c = 0; c < m.size; c++) {
			if (m.modules[r * m.size + c]) gray.fill(0, start + (c + quiet) * scale, start + (c + quiet + 1) * scale);
		}
		for (let k = 1; k < scale; k++) gray.copyWithin(start + k * side, start, start + side);
	}
	return { width: side, height: side, gray };
}

function rasterArea(m: QrMatrix, scale: number, quiet: number): GrayImage {
	const side = Math.round((m.size + 2 * quiet) * scale);
	// With scale >= 1 a pixel [p, p+1) overlaps at most two modules, so per axis store the
	// first module index and the pixel's share of it (the rest belongs to the next module).
	// Indices are offset by `pad` so that quiet-zone and off-edge modules are plain zeros.
	const pad = quiet + 1;
	const mod = new Int32Array(side);
	const share = new Float64Array(side);
	for (let p = 0; p < side; p++) {
		const a = p / scale - quiet;
		const i = Math.floor(a);
		mod[p] = i + pad;
		share[p] = Math.min(1, (i + 1 - a) * scale);
	}
	// Modules copied into a zero-bordered grid, so the lookups below need no bounds checks.
	const rows = m.size + 2 * pad;
	const grid = new Uint8Array(rows * rows);
	for (let r = 0; r < m.size; r++) grid.set(m.modules.subarray(r * m.size, (r + 1) * m.size), (r + pad) * rows + pad);
	// Separable box filter: first the horizontal coverage of every pixel column for every
	// module row, then blend two of those rows per pixel row. (`?? 0` only satisfies
	// noUncheckedIndexedAccess; every index is in range.)
	const horiz = new Float64Array(rows * side);
	for (let r = pad; r < pad + m.size; r++) {
		for (let x = 0; x < side; x++) {
			const i = r * rows + (mod[x] ?? 0),
				w = share[x] ?? 0;
			horiz[r * side + x] = w * (grid[i] ?? 0) + (1 - w) * (grid[i + 1] ?? 0);
		}
	}
	const gray = new Uint8ClampedArray(side * side);
	for (let y = 0; y < side; y++) {
		const top = (mod[y] ?? 0) * side,
			wy = share[y] ?? 0,
			out = y * side;
		for (let x = 0; x < side; x++) {
			const cover = wy * (horiz[top + x] ?? 0) + (1 - wy) * (horiz[top + side + x] ?? 0);
			gray[out + x] = 255 - Math.round(255 * cover);
		}
	}
	return { width: side, height: side, gray };
}

/** Opaque RGBA copy of a gray image (jsQR and canvas ImageData want RGBA). */
export function toRgba(img: GrayImage): RgbaImage {
	const rgba = new Uint8ClampedArray(img.gray.length * 4);
	for (let i = 0, j = 0; i < img.gray.length; i++, j += 4) {
		const v = img.gray[i] ?? 255;
		rgba[j] = v;
		rgba[j + 1] = v;
		rgba[j + 2] = v;
		rgba[j + 3] = 255;
	}
	return { width: img.width, height: img.height, rgba };
}
