/**
 * How long and how much memory generating the demo city takes (docs/demo-city.md, "Size and speed"):
 * iterates every household of `generateCity` without storing anything and prints CPU, wall, points and peaks.
 *
 *   node bin/run-ts.js scripts/city-size.ts [RESIDENTS=100000]
 */
import { generateCity } from '../src/demo/city/city.js';

const residents = Number(process.argv[2] ?? 100_000);
const start = Math.floor(Date.now() / 1000);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let points = 0;
let people = 0;
let peakRss = 0;
let peakHeap = 0;
const city = generateCity({ residents, start });
let n = 0;
for (const hh of city.households()) {
	for (const p of hh.members) {
		people++;
		points += p.facts.trajectory.length;
	}
	if (++n % 2000 === 0) {
		const m = process.memoryUsage();
		peakRss = Math.max(peakRss, m.rss);
		peakHeap = Math.max(peakHeap, m.heapUsed);
	}
}
const m = process.memoryUsage();
peakRss = Math.max(peakRss, m.rss);
peakHeap = Math.max(peakHeap, m.heapUsed);
const cpu = process.cpuUsage(cpu0);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
console.log(
	`| ${people.toLocaleString('en-US')} | ${(points / 1e6).toFixed(1)} M | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s | ${((performance.now() - t0) / 1000).toFixed(1)} s | ${mb(peakRss)} | ${mb(peakHeap)} |`
);
