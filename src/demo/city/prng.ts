/**
 * Seeded pseudo-random numbers for the demo city: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * PractRand-clean at 2^64 bytes for 32-bit output) seeded through a 32-bit string/number hash (cyrb53-style
 * mixing). Each household and each layout stage gets its own stream, derived from (seed, stream name, index),
 * so any household can be regenerated alone (random access) and generation order does not matter.
 */

/** 32-bit hash of a string (murmur3-like mixing; deterministic across platforms). */
export function hash32(s: string, seed = 0x9e3779b9): number {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (h1 ^ h2) >>> 0;
}

/** Finaliser of murmur3: a good 32-bit integer mix. */
export function mix32(x: number): number {
	x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
	x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
	return (x ^ (x >>> 16)) >>> 0;
}

export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	constructor(seed: number, stream: number, index: number) {
		this.a = mix32(seed ^ 0x243f6a88);
		this.b = mix32(stream ^ 0x85a308d3);
		this.c = mix32(index ^ 0x13198a2e);
		this.d = 1;
		for (let i = 0; i < 12; i++) this.u32();
	}

	u32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** uniform in [0, 1) */
	next(): number {
		return this.u32() / 4294967296;
	}

	/** uniform integer in [lo, hi] */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	range(lo: number, hi: number): number {
		return lo + this.next() * (hi - lo);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(xs: readonly T[]): T {
		return xs[Math.floor(this.next() * xs.length)]!;
	}

	/** index drawn with the given (not necessarily normalised) weights */
	weighted(weights: readonly number[]): number {
		let total = 0;
		for (const w of weights) total += w;
		let r = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			r -= weights[i]!;
			if (r < 0) return i;
		}
		return weights.length - 1;
	}

	/** standard normal (Box–Muller) */
	normal(): number {
		const u = 1 - this.next();
		const v = this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}

/** Stream names → numbers, so call sites read well (one table, so no two steps share a number). */
export const STREAM = {
	sizes: 1,
	layout: 2,
	household: 3,
	outbreak: 4,
	towers: 5,
	home: 6,
	life: 7,
	observations: 8,
	tests: 9,
	investigation: 10,
	scans: 11
} as const;

/** Euclidean length (Math.hypot is several times slower in V8, and the generator calls this per point). */
export function dist(dx: number, dy: number): number {
	return Math.sqrt(dx * dx + dy * dy);
}
