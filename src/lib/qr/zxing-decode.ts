// Decodes with the exact zxing-js build that html5-qrcode 2.3.8 scans with, configured the way
// html5-qrcode configures it (esm/zxing-html5-qrcode-decoder.js), so "reads here" predicts
// "reads on the guard's phone" as closely as a synthetic image can.
import * as ZXingNs from 'html5-qrcode/third_party/zxing-js.umd.js';

// --- The one untyped spot -------------------------------------------------------------------
// The bundle ships a hand-written .d.ts that declares almost nothing we need (no RGBLuminanceSource,
// no DecodeHintType members beyond two), so we describe the slice we use ourselves.
interface ZxingResult {
	getText(): string;
}
interface ZxingApi {
	MultiFormatReader: new (
		verbose: boolean,
		hints: Map<number, unknown>
	) => {
		decode(bitmap: object): ZxingResult;
	};
	RGBLuminanceSource: new (luminances: Uint8ClampedArray, width: number, height: number) => object;
	HybridBinarizer: new (source: object) => object;
	BinaryBitmap: new (binarizer: object) => object;
	DecodeHintType: { POSSIBLE_FORMATS: number; TRY_HARDER: number };
	BarcodeFormat: { QR_CODE: number };
}
// The file is a UMD bundle (CommonJS branch when `module`/`exports` exist). Node's ESM loader
// (vitest externalises node_modules) exposes it as { default: module.exports, ...named exports
// found by cjs-module-lexer }; Vite's dep optimiser exposes the named exports (that is how
// html5-qrcode's own `import * as ZXing` works). Pick whichever object actually has the classes.
const ns = ZXingNs as unknown as Partial<ZxingApi> & { default?: Partial<ZxingApi> };
const ZX = (ns.MultiFormatReader ? ns : ns.default) as ZxingApi;
// ---------------------------------------------------------------------------------------------

export type DecodeInput =
	{ width: number; height: number; gray: Uint8ClampedArray } | { width: number; height: number; rgba: Uint8ClampedArray };

export type Decoder = (img: DecodeInput) => string | null;

// Same hints as html5-qrcode builds for formatsToSupport: [QR_CODE]: POSSIBLE_FORMATS and an
// explicit TRY_HARDER=false. Keep the explicit `false`: this zxing-js's FinderPatternFinder tests
// `hints.get(TRY_HARDER) !== undefined`, so the key's mere presence makes it scan every 3rd row
// (try-harder style) while MultiFormatReader reads it as false. Dropping the key changes which
// symbols are found (measured: same misses on crisp rasters, 25 of 300 differ at 5.3 px).
// Built once; html5-qrcode builds a new MultiFormatReader per frame, which is equivalent
// because these readers keep no state between decode() calls.
const hints = new Map<number, unknown>([
	[ZX.DecodeHintType.POSSIBLE_FORMATS, [ZX.BarcodeFormat.QR_CODE]],
	[ZX.DecodeHintType.TRY_HARDER, false]
]);
const reader = new ZX.MultiFormatReader(false, hints);

/** Same integer formula (and alpha=0 -> white rule) as HTMLCanvasElementLuminanceSource. */
function rgbaToGray(rgba: Uint8ClampedArray, n: number): Uint8ClampedArray {
	const gray = new Uint8ClampedArray(n);
	for (let i = 0, j = 0; j < n; i += 4, j++) {
		// `?? 0` only satisfies noUncheckedIndexedAccess; the length is checked by the caller.
		const r = rgba[i] ?? 0,
			g = rgba[i + 1] ?? 0,
			b = rgba[i + 2] ?? 0;
		gray[j] = rgba[i + 3] === 0 ? 255 : (306 * r + 601 * g + 117 * b + 0x200) >> 10;
	}
	return gray;
}

/** Decoded text, or null when zxing finds/decodes nothing. Never throws. */
export function decodeWithZxing(img: DecodeInput): string | null {
	try {
		const n = img.width * img.height;
		// A gray buffer is handed to zxing as-is (RGBLuminanceSource keeps 1-byte arrays as
		// luminance), which skips an RGBA round trip in the hot test loop.
		if (n <= 0 || ('gray' in img ? img.gray.length : img.rgba.length / 4) < n) return null;
		const gray = 'gray' in img ? img.gray : rgbaToGray(img.rgba, n);
		const source = new ZX.RGBLuminanceSource(gray, img.width, img.height);
		const bitmap = new ZX.BinaryBitmap(new ZX.HybridBinarizer(source));
		return reader.decode(bitmap).getText();
	} catch {
		return null;
	}
}
