import { measureReadRate } from '../src/lib/qr/read-rate.js';
import { table } from './timing.js';

/** zxing (html5-qrcode's build) read rate over random codes shaped like ours: qrcode's own mask vs renderReadableQr. */
export function readRateSection(): Promise<string> {
	const count = Number(process.env.BENCH_QR_COUNT ?? 1000);
	const r = measureReadRate({ count, seed: 20261129 });
	const scales = Object.keys(r.naiveFailuresByScale);
	const pct = (n: number) => `${(100 * (1 - n / r.count)).toFixed(1)} %`;
	return Promise.resolve(
		`### zxing read rate (${r.count} random codes, \`TX1:\` + 230–390 base45 characters, ECC M, every code at ${scales.join(', ')} px/module)\n\n` +
			table(
				['render', 'codes read at every scale', 'failures by scale', 'time per render'],
				[
					[
						'naive (qrcode mask)',
						pct(r.naiveFailures),
						scales.map((s) => `${s}px:${r.naiveFailuresByScale[s]}`).join(' '),
						`${r.msPerRenderNaive.toFixed(1)} ms`
					],
					[
						'ours (renderReadableQr)',
						pct(r.ourFailures),
						scales.map((s) => `${s}px:${r.ourFailuresByScale[s]}`).join(' '),
						`${r.msPerRenderOurs.toFixed(1)} ms`
					]
				]
			) +
			`\n\njsQR on the naive renders: ${pct(r.jsqrNaiveFailures)}. Masks tried beyond the first: mean ${r.extraAttemptsMean.toFixed(2)}, max ${r.maxAttempts}. Target: 100 %.\n`
	);
}
