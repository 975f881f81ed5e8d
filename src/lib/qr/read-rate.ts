// Read-rate measurement shared by the unit test and the benchmark: random payloads shaped like
// ours, qrcode's automatic mask ("naive") vs renderReadableQr ("ours"), decoded with the
// scanner's zxing build (and jsQR on the naive renders, as a second opinion).
import jsQR from 'jsqr';
import { qrMatrix, rasterize, toRgba, type Ecc, type QrMatrix } from './matrix';
import { renderReadableQr } from './render-readable';
import { decodeWithZxing } from './zxing-decode';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** mulberry32: tiny, fast, good enough to make reproducible test data from a seed. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `count` texts "TX1:" + 230..390 random base45 characters (our signed-payload shape). */
export function randomTexts(count: number, seed: number): string[] {
	const rnd = mulberry32(seed);
	const out: string[] = [];
	for (let k = 0; k < count; k++) {
		const len = 230 + Math.floor(rnd() * 161);
		let s = 'TX1:';
		for (let i = 0; i < len; i++) s += BASE45[Math.floor(rnd() * 45)];
		out.push(s);
	}
	return out;
}

export interface ReadRateOptions {
	count: number;
	seed: number;
	/** Scales renderReadableQr proves / prefers (undefined = its defaults). */
	scales?: readonly number[];
	preferScales?: readonly number[];
	ecc?: Ecc;
	/** Scales every code is decoded at afterwards; default 3..8 px/module. Fractional values
	 * (area-averaged rasters) measure what the proof does not cover. */
	checkScales?: readonly number[];
}

export interface ReadRate {
	count: number;
	/** Codes (of `count`) that zxing misses at one or more check scales, qrcode's own mask. */
	naiveFailures: number;
	/** Same for renderReadableQr's output; 0 whenever checkScales ⊆ scales. */
	ourFailures: number;
	/** Codes jsQR misses at one or more check scales, naive renders. */
	jsqrNaiveFailures: number;
	/** Per check scale: how many codes zxing misses there (naive / ours). */
	naiveFailuresByScale: Record<string, number>;
	ourFailuresByScale: Record<string, number>;
	/** Codes where no mask read at every proof scale (renderReadableQr's readable=false). */
	unreadable: number;
	/** Codes where no mask also read at the preferred scales (preferred=false). */
	notPreferred: number;
	/** Mean masks tried beyond the first (0 = qrcode's mask always read). */
	extraAttemptsMean: number;
	maxAttempts: number;
	/** Wall time of building the matrix: qrMatrix alone vs renderReadableQr (with its decodes). */
	msPerRenderNaive: number;
	msPerRenderOurs: number;
}

function reads(m: QrMatrix, text: string, scale: number): boolean {
	return decodeWithZxing(rasterize(m, { scale })) === text;
}

function jsqrReads(m: QrMatrix, text: string, scale: number): boolean {
	const img = toRgba(rasterize(m, { scale }));
	// dontInvert: our codes are always dark-on-light, and inversion doubles jsQR's work.
	return jsQR(img.rgba, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data === text;
}

export function measureReadRate(opts: ReadRateOptions): ReadRate {
	const ecc = opts.ecc ?? 'M';
	const checkScales = opts.checkScales ?? [3, 4, 5, 6, 7, 8];
	const texts = randomTexts(opts.count, opts.seed);
	const byScale = (): Record<string, number> => Object.fromEntries(checkScales.map((s) => [String(s), 0]));
	const r: ReadRate = {
		count: opts.count,
		naiveFailures: 0,
		ourFailures: 0,
		jsqrNaiveFailures: 0,
		naiveFailuresByScale: byScale(),
		ourFailuresByScale: byScale(),
		unreadable: 0,
		notPreferred: 0,
		extraAttemptsMean: 0,
		maxAttempts: 0,
		msPerRenderNaive: 0,
		msPerRenderOurs: 0
	};
	let naiveMs = 0;
	let oursMs = 0;
	let extra = 0;
	for (const text of texts) {
		let t0 = performance.now();
		const naive = qrMatrix(text, { ecc });
		naiveMs += performance.now() - t0;
		t0 = performance.now();
		const ours = renderReadableQr(text, { ecc, scales: opts.scales, preferScales: opts.preferScales });
		oursMs += performance.now() - t0;

		extra += ours.attempts - 1;
		r.maxAttempts = Math.max(r.maxAttempts, ours.attempts);
		if (!ours.readable) r.unreadable++;
		if (!ours.preferred) r.notPreferred++;
		let naiveMiss = false;
		let ourMiss = false;
		let jsqrMiss = false;
		for (const s of checkScales) {
			const naiveOk = reads(naive, text, s);
			// Same mask means the same matrix: no need to decode it twice.
			const oursOk = ours.maskPattern === naive.maskPattern ? naiveOk : reads(ours.matrix, text, s);
			if (!naiveOk) {
				naiveMiss = true;
				r.naiveFailuresByScale[String(s)] = (r.naiveFailuresByScale[String(s)] ?? 0) + 1;
			}
			if (!oursOk) {
				ourMiss = true;
				r.ourFailuresByScale[String(s)] = (r.ourFailuresByScale[String(s)] ?? 0) + 1;
			}
			if (!jsqrReads(naive, text, s)) jsqrMiss = true;
		}
		if (naiveMiss) r.naiveFailures++;
		if (ourMiss) r.ourFailures++;
		if (jsqrMiss) r.jsqrNaiveFailures++;
	}
	r.extraAttemptsMean = extra / opts.count;
	r.msPerRenderNaive = naiveMs / opts.count;
	r.msPerRenderOurs = oursMs / opts.count;
	return r;
}
