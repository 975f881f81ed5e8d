/**
 * Household composition (phase 1 of a household, from its own PRNG stream): sizes after the 2020 census
 * (average 2.62 people; a quarter live alone), ages by role, occupation by age, who has a phone, names and
 * identity numbers. Nothing here depends on the outbreak, so the outbreak plan can look at any household first.
 */
import { givenName, identityFor, phoneFor, pickOrigin, surname } from './people.js';
import { Rng, STREAM } from './prng.js';
import type { HouseholdRole, Occupation } from './types.js';
import { DEFAULT_STRUCTURE, type CityStructure } from './structure.js';

/** 1, 2, 3, 4, 5, 6 people (第七次全国人口普查: 25 %, 30 %, 21 %, 13 %, 7 %, 4 %). */
const SIZE_WEIGHTS = [25, 30, 21, 13, 7, 4];

export interface Member {
	/** global person index */
	readonly p: number;
	readonly key: string;
	readonly role: HouseholdRole;
	readonly male: boolean;
	readonly age: number;
	readonly occupation: Occupation;
	readonly idNumber: string;
	readonly birthDate: string;
	readonly name: string;
	readonly phone: string | null;
	/** share of the phone's points that are GPS fixes (the rest are cell-based); 0 without a phone */
	readonly gpsShare: number;
}

/** Household sizes summing exactly to `residents`, the first three fixed for the demo identities. */
export function householdSizes(seed: number, residents: number): Uint8Array {
	const rng = new Rng(seed, STREAM.sizes, 0);
	const fixed = [2, 1, 3];
	const out: number[] = [];
	let total = 0;
	while (total < residents) {
		const s = out.length < fixed.length ? fixed[out.length]! : 1 + rng.weighted(SIZE_WEIGHTS);
		const size = Math.min(s, residents - total);
		out.push(size);
		total += size;
	}
	return Uint8Array.from(out);
}

export const personKey = (p: number) => `P${String(p).padStart(7, '0')}`;

function occupationFor(rng: Rng, age: number): Occupation {
	if (age < 6) return 'preschool';
	if (age < 18) return 'student';
	if (age < 23) return rng.chance(0.55) ? 'student' : 'worker';
	if (age < 60) return rng.chance(0.88) ? 'worker' : 'at-home';
	if (age < 65) return rng.chance(0.2) ? 'worker' : 'retired';
	return 'retired';
}

function phoneShare(rng: Rng, age: number, gpsFactor: number): number {
	const r = rng.next();
	const share = age >= 60 ? (r < 0.45 ? 0 : r < 0.7 ? 0.4 : 0.85) : r < 0.1 ? 0 : r < 0.35 ? 0.4 : 0.85;
	// × 1 keeps the default city's shares exactly
	return gpsFactor === 1 ? share : Math.min(0.95, share * gpsFactor);
}

/** `ownership`: structure.ts phoneOwnership; at 1 (the default city) no draw is taken for ages 18–69, as always */
function hasPhone(rng: Rng, age: number, ownership: number): boolean {
	if (age < 12) return false;
	if (age < 18) return rng.chance(0.8 * ownership);
	if (age < 70) return ownership >= 1 || rng.chance(ownership);
	if (age < 80) return rng.chance(0.75 * ownership);
	return rng.chance(0.4 * ownership);
}

interface Draft {
	role: HouseholdRole;
	male: boolean;
	age: number;
	surname?: string;
}

/** Draws the members of a household of `size` people whose first person index is `p0`. */
export function composeMembers(
	seed: number,
	h: number,
	size: number,
	p0: number,
	startYear: number,
	structure: Pick<CityStructure, 'phoneOwnership' | 'gpsFactor'> = DEFAULT_STRUCTURE,
	idBase = 0
): Member[] {
	const rng = new Rng(seed, STREAM.household, h);
	const drafts: Draft[] = [];
	if (size === 1) {
		const r = rng.next();
		drafts.push({ role: 'head', male: rng.chance(0.55), age: r < 0.5 ? rng.int(20, 39) : r < 0.8 ? rng.int(40, 64) : rng.int(65, 88) });
	} else if (size === 2) {
		const r = rng.next();
		const age = r < 0.5 ? rng.int(24, 39) : r < 0.8 ? rng.int(40, 59) : rng.int(60, 85);
		const male = rng.chance(0.6);
		drafts.push({ role: 'head', male, age }, { role: 'spouse', male: !male, age: Math.max(20, age + rng.int(-4, 3)) });
	} else {
		const age = rng.int(28, 50);
		const male = rng.chance(0.6);
		drafts.push({ role: 'head', male, age }, { role: 'spouse', male: !male, age: Math.max(22, age + rng.int(-4, 3)) });
		let rest = size - 2;
		const grandparents = size === 3 ? (rng.chance(0.25) ? 1 : 0) : size === 4 ? (rng.chance(0.45) ? 1 : 0) : size === 5 ? rng.int(1, 2) : 2;
		for (let g = 0; g < grandparents && rest > 0; g++, rest--) {
			drafts.push({
				role: 'parent',
				male: g === 0 ? rng.chance(0.4) : !drafts[drafts.length - 1]!.male,
				age: Math.min(95, age + rng.int(24, 32))
			});
		}
		for (; rest > 0; rest--) {
			drafts.push({ role: 'child', male: rng.chance(0.53), age: rng.int(0, Math.max(0, Math.min(22, age - 22))) });
		}
	}
	const head = drafts[0]!;
	head.surname = surname(rng);
	const spouse = drafts.find((d) => d.role === 'spouse');
	if (spouse) spouse.surname = surname(rng);
	const father = head.male ? head : (spouse ?? head);
	return drafts.map((d, i) => {
		const p = p0 + i;
		const birthYear = startYear - 1 - d.age;
		const origin = pickOrigin(rng);
		const { idNumber, birthDate } = identityFor(idBase + p, birthYear, origin, d.male);
		const family = d.surname ?? (d.role === 'child' ? father.surname! : d.role === 'parent' && d.male ? head.surname! : surname(rng));
		const phone = hasPhone(rng, d.age, structure.phoneOwnership) ? phoneFor(idBase + p, rng) : null;
		return {
			p,
			key: personKey(p),
			role: d.role,
			male: d.male,
			age: d.age,
			occupation: occupationFor(rng, d.age),
			idNumber,
			birthDate,
			name: family + givenName(rng, d.male, birthYear),
			phone,
			gpsShare: phone ? phoneShare(rng, d.age, structure.gpsFactor) : 0
		};
	});
}
