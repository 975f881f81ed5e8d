/**
 * Small timing helpers: run for a fixed wall-clock budget, report the median of per-batch means.
 * Uses the global `performance` (Node and browsers alike), so the Chromium bench entry shares it.
 */

export async function timeIt(fn: () => unknown, opts: { minMs?: number; batches?: number } = {}): Promise<number> {
	const batches = opts.batches ?? 7;
	const minMs = opts.minMs ?? 150;
	await fn(); // warm-up (JIT, key caches)
	const means: number[] = [];
	for (let b = 0; b < batches; b++) {
		let n = 0;
		const start = performance.now();
		while (performance.now() - start < minMs) {
			await fn();
			n++;
		}
		means.push((performance.now() - start) / n);
	}
	means.sort((a, z) => a - z);
	return means[Math.floor(means.length / 2)]!;
}

export const fmtMs = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
export const fmtRatio = (r: number) => `${r.toFixed(1)}×`;

export function table(headers: string[], rows: (string | number)[][]): string {
	const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
	return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
