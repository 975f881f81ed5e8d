import type { Ctx } from './ctx.js';
import type { Plan } from './plan.js';
import { Rng, STREAM } from './prng.js';

/** Where household h lives: its compound, position (m) and region (the plan's overrides win). */
export function homeOf(ctx: Ctx, plan: Plan | null, h: number): { compound: number; x: number; y: number; region: string } {
	const o = plan?.households.get(h);
	const rng = new Rng(ctx.seed, STREAM.home, h);
	const compound = o?.compound ?? rng.int(0, ctx.layout.compounds.length - 1);
	const c = ctx.layout.compounds[compound]!;
	const a = rng.range(0, 2 * Math.PI);
	const r = c.r * Math.sqrt(rng.next());
	const x = o?.home?.x ?? c.x + r * Math.cos(a);
	const y = o?.home?.y ?? c.y + r * Math.sin(a);
	return { compound, x, y, region: o?.region ?? ctx.layout.regions[ctx.layout.districtOf(c.x, c.y)]! };
}
