/**
 * The outbreak plan's shape (outbreak.ts builds it before any household is generated): per-person and
 * per-household overrides, the cases, and where the cases were while infectious.
 */
import type { Member } from './household.js';
import type { Forced } from './life.js';

export interface CasePlan {
	readonly p: number;
	readonly h: number;
	readonly kind: 'index' | 'secondary';
	readonly infectedAt: number;
	readonly infectiousFrom: number;
	readonly confirmedAt: number;
	idNumber: string;
	key: string;
}

export interface PersonOverride {
	vendor?: boolean;
	work?: { x: number; y: number; space: number };
	forced?: Forced[];
	case?: CasePlan;
	/** investigation: always / never names this person as a close contact when exposed */
	found?: 'always' | 'never';
	persona?: {
		name: string;
		idNumber: string;
		phone: string | null;
		male: boolean;
		birthYear: number;
		role: Member['role'];
		occupation: Member['occupation'];
	};
}

export interface HouseholdOverride {
	compound?: number;
	region?: string;
	/** exact home position (m) */
	home?: { x: number; y: number };
}

export interface Presence {
	readonly x: number;
	readonly y: number;
	readonly from: number;
	readonly until: number;
	readonly c: CasePlan;
}

export interface Plan {
	readonly persons: Map<number, PersonOverride>;
	readonly households: Map<number, HouseholdOverride>;
	readonly cases: CasePlan[];
	/** case presence while infectious, by space id */
	readonly presence: Map<number, Presence[]>;
	readonly siteSpace: number;
	readonly siteFrom: number;
	readonly siteUntil: number;
	/** compounds whose residents were mass-tested (within 2 km of the site) */
	readonly massTested: ReadonlySet<number>;
	readonly massTests: readonly number[];
}
