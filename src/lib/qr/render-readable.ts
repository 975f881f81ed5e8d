// Renders a QR that the scanner's decoder is proven to read. html5-qrcode's zxing-js fails,
// deterministically, to locate some symbols (stack.md §Q5): false finder patterns in the data
// area. Which symbols depends on the module pattern, so the same data under another mask
// pattern (same version, same ECC) usually reads.
import { qrMatrix, rasterize, type Ecc, type MaskPattern, type QrMatrix } from './matrix';
import { decodeWithZxing, type Decoder } from './zxing-decode';

/*
 * Why these defaults. The resident's screen draws the QR at a device-dependent scale and the
 * guard's camera resamples it again, so the scanner meets ~3 to ~8 px/module, mostly fractional.
 * Measured on 1 000 random TX1 payloads (v9–v12, ECC M, read-rate.ts, seed 20240601):
 *  - qrcode's own mask: zxing misses 3 % of codes at 3 px, 5 % at 4, 12 % at 5, ~17 % at 6–8
 *    (crisp integer rasters); 17.6 % miss at one or more of 3..8. These misses are a property
 *    of the symbol: a mask that reads at 6 reads at practically every integer scale, so
 *    requiring all of 3..8 costs little (0.21 extra masks per code, at most 4 masks, ≈20 ms)
 *    and gives by construction what the unit test checks: 1 000 / 1 000.
 *  - fractional (area-averaged) scales add misses that change from scale to scale for the same
 *    symbol, so no finite list can prove them away; the camera's frame-to-frame variation does.
 *    Over 8 held-out fractional scales: qrcode's mask misses 14.2 % of (code, scale) pairs, a
 *    mask proven at 3..8 misses 7.5 %, one that also passes the two preferred probes 5.6 %,
 *    for ~1.5x the render time (≈30 ms instead of ≈20 ms in Node on a quiet 2-core box). So
 *    they are a preference, not a requirement: ~1 payload in 3 000 has no mask that passes
 *    them, and it still gets a code proven at every integer scale.
 * Order only affects speed: the first scale (6 px) rejects almost every bad mask with one
 * cheap decode, then the preferred probes run before the remaining, slower scales.
 */
export const DEFAULT_SCALES: readonly number[] = [6, 8, 7, 5, 4, 3];
export const DEFAULT_PREFER_SCALES: readonly number[] = [6.4, 4.6];

export interface ReadableQr {
	matrix: QrMatrix;
	/** Masks built, including the returned one (1 = qrcode's own choice was fine). */
	attempts: number;
	maskPattern: MaskPattern;
	/** Reads at every `scales` entry. False only if no mask does (never seen in testing). */
	readable: boolean;
	/** Also reads at every `preferScales` entry. */
	preferred: boolean;
}

export interface RenderReadableOptions {
	ecc?: Ecc;
	/** Pixels per module the code must read at (fractional = area-averaged, see rasterize). */
	scales?: readonly number[];
	/** Scales a mask should also read at; the first mask that does wins, else the first that
	 * passes `scales`. Pass [] to skip (≈40 % faster). */
	preferScales?: readonly number[];
	/** Quiet zone in modules used for the check; keep it equal to what the page draws. */
	quiet?: number;
	/** Injectable so tests can swap the decoder; defaults to the scanner's zxing build. */
	decode?: Decoder;
}

export function renderReadableQr(text: string, opts: RenderReadableOptions = {}): ReadableQr {
	const ecc = opts.ecc ?? 'M';
	const scales = opts.scales ?? DEFAULT_SCALES;
	const prefer = opts.preferScales ?? DEFAULT_PREFER_SCALES;
	const quiet = opts.quiet ?? 4;
	const decode = opts.decode ?? decodeWithZxing;
	const readsAt = (m: QrMatrix, s: number): boolean => decode(rasterize(m, { scale: s, quiet })) === text;

	// qrcode's penalty-based choice first: it is the spec's preferred mask and usually reads.
	const first = qrMatrix(text, { ecc });
	const order = [first.maskPattern, ...[0, 1, 2, 3, 4, 5, 6, 7].filter((p) => p !== first.maskPattern)];
	const [lead, ...rest] = scales;
	const tried: QrMatrix[] = [];
	// Masks that pass `lead` but miss a preferred scale; their other scales are only checked
	// if no mask is preferred, which saves ~5 decodes per such mask in the common case.
	const deferred: QrMatrix[] = [];
	for (const p of order) {
		const m = tried.length === 0 ? first : qrMatrix(text, { ecc, maskPattern: p as MaskPattern });
		tried.push(m);
		if (lead !== undefined && !readsAt(m, lead)) continue;
		if (!prefer.every((s) => readsAt(m, s))) deferred.push(m);
		else if (rest.every((s) => readsAt(m, s))) {
			return { matrix: m, attempts: tried.length, maskPattern: m.maskPattern, readable: true, preferred: true };
		}
	}
	const fallback = deferred.find((m) => rest.every((s) => readsAt(m, s)));
	if (fallback) {
		return { matrix: fallback, attempts: tried.length, maskPattern: fallback.maskPattern, readable: true, preferred: false };
	}
	// No mask reads everywhere: show the one that reads at most scales (qrcode's own on ties)
	// rather than no code at all; the caller can log `readable: false`.
	let best = first;
	let bestCount = -1;
	for (const m of tried) {
		const n = scales.filter((s) => readsAt(m, s)).length;
		if (n > bestCount) [best, bestCount] = [m, n];
	}
	return { matrix: best, attempts: tried.length, maskPattern: best.maskPattern, readable: false, preferred: false };
}
