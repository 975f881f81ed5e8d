import type { Ctx } from './ctx.js';
import { composeMembers, type Member } from './household.js';
import { personaVariant } from './people.js';
import type { Plan } from './plan.js';

/** The members of household h; a planned persona replaces the generated person it stands for. */
export function membersOf(ctx: Ctx, plan: Plan | null, h: number): Member[] {
	const p0 = ctx.offsets[h]!;
	const members = composeMembers(ctx.seed, h, ctx.sizes[h]!, p0, ctx.startYear, ctx.structure, ctx.idBase ?? 0);
	if (!plan) return members;
	return members.map((m) => {
		const pr = plan.persons.get(m.p)?.persona;
		if (!pr) return m;
		const who = ctx.personaArea ? personaVariant(ctx.personaArea, pr.idNumber, pr.phone) : pr;
		return {
			...m,
			name: pr.name,
			idNumber: who.idNumber,
			birthDate: `${pr.idNumber.slice(6, 10)}-${pr.idNumber.slice(10, 12)}-${pr.idNumber.slice(12, 14)}`,
			phone: who.phone,
			male: pr.male,
			age: ctx.startYear - 1 - pr.birthYear,
			role: pr.role,
			occupation: pr.occupation,
			gpsShare: pr.phone ? 0.85 : 0
		};
	});
}
