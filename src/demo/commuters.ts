/**
 * The federation demo's commuters (scripts/federation.ts, docs/federation.md "Run it"): residents of region
 * 110100 (北京) who work in region 440300 (深圳) during the week. Their home region holds them as the data sources
 * would deliver them (household register, carrier phone), so they are registered with the gateway for routing;
 * the region they work in knows them only as its carrier does — their phone and where it was — so a fact recorded
 * there about them (a positive test, a close contact) is not one of its residents' and crosses to their home.
 *
 * Their ID numbers start 1101 and their phones 170: neither demo city generates those (city/people.ts draws phones
 * from other prefixes and ID numbers from other ranges), so they are nobody else.
 */
import { residentIdCheckChar } from '../lib/core/declaration/resident-id.js';

export interface Commuter {
	name: string;
	idNumber: string;
	phone: string;
	/** the home region's district (GB/T 2260) */
	district: string;
}

export const COMMUTER_HOME = '110100';
export const COMMUTER_WORK = '440300';

const id = (first17: string) => first17 + residentIdCheckChar(first17);

export const COMMUTERS: readonly Commuter[] = [
	{ name: '刘洋', idNumber: id('11010519920415001'), phone: '17000170001', district: '110105' },
	{ name: '陈静', idNumber: id('11010819880921002'), phone: '17000170002', district: '110108' },
	{ name: '杨帆', idNumber: id('11010219951103003'), phone: '17000170003', district: '110102' }
];

/** Where the commuters work in the 440300 demo city: near its centre (福田), a few hundred metres apart. */
const WORK = { lat: 22.5431, lon: 114.0579 };
const HOUR = 3_600_000;

/** What each region's data sources push (POST /api/v1/sources/{source}/{kind}), as of `nowMs`. */
export function commuterRecords(nowMs: number, commuters: readonly Commuter[] = COMMUTERS) {
	// the last five working days (the weekend included: a demo needs no calendar), 09:00–18:00 China time, hourly
	const dayStart = Math.floor((nowMs + 8 * HOUR) / (24 * HOUR)) * 24 * HOUR - 8 * HOUR;
	const trajectory = commuters.flatMap((c, i) =>
		[1, 2, 3, 4, 5].flatMap((d) =>
			Array.from({ length: 10 }, (_, h) => ({
				phone: c.phone,
				at: new Date(dayStart - d * 24 * HOUR + (9 + h) * HOUR).toISOString(),
				lat: Math.round((WORK.lat + 0.002 * i) * 1e6) / 1e6,
				lon: Math.round((WORK.lon + 0.003 * i) * 1e6) / 1e6,
				accuracyM: 30
			}))
		)
	);
	return {
		/** the home region: public-security register and carrier phone registry */
		home: {
			register: commuters.map((c) => ({ idNumber: c.idNumber, name: c.name, region: c.district })),
			phones: commuters.map((c) => ({ phone: c.phone, idNumber: c.idNumber }))
		},
		/** the region they work in: its carrier knows the phone (and whose it is) and where it was */
		work: {
			phones: commuters.map((c) => ({ phone: c.phone, idNumber: c.idNumber })),
			trajectory
		}
	};
}
