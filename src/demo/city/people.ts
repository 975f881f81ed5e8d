/**
 * Identities of the synthetic residents: Chinese names, GB 11643 resident ID numbers, mainland mobile numbers.
 *
 * Uniqueness without a global set (needed for streaming and random access): a person's index p is scrambled by
 * a bijection of [0, ID_CAPACITY) and split into (block r, day-of-year d, serial k). The ID number's
 * sequence code is 2k + sex (GB 11643: odd for men), the birthday's month/day is day d of a non-leap year (valid
 * in every year), and the address code is the r-th county of the person's origin group. Two different people
 * differ in r, d or k, hence in the address code, the birthday or the sequence code — whatever birth year and
 * origin the model picks. Phone numbers: a real carrier prefix + a bijective scramble of p on 8 digits.
 * The demo identities (src/demo/identities.ts) are reserved and never generated.
 */
import { residentIdCheckChar } from '../../lib/core/declaration/resident-id.js';
import type { Rng } from './prng.js';

/** Counties per origin group: the number of blocks of 365 × 500 people, so the capacity is 9 × 182 500. */
export const BLOCKS = 9;
export const ID_CAPACITY = BLOCKS * 365 * 500;

/**
 * Origin groups (where the ID number was first issued): 深圳 itself, and the provinces most of 深圳's migrants
 * come from (广东 other cities, 湖南, 广西, 湖北, 江西, 四川, 河南). Nine real GB/T 2260 county codes each.
 */
export const ORIGINS: readonly { readonly name: string; readonly weight: number; readonly codes: readonly string[] }[] = [
	{ name: '深圳', weight: 35, codes: ['440303', '440304', '440305', '440306', '440307', '440308', '440309', '440310', '440311'] },
	{ name: '广东', weight: 20, codes: ['440103', '440104', '440604', '441302', '441402', '441502', '445102', '440802', '441202'] },
	{ name: '湖南', weight: 12, codes: ['430102', '430103', '430202', '430302', '430402', '430503', '430602', '430702', '431002'] },
	{ name: '广西', weight: 8, codes: ['450102', '450103', '450202', '450302', '450403', '450502', '450702', '450802', '450902'] },
	{ name: '湖北', weight: 8, codes: ['420102', '420103', '420106', '420202', '420302', '420502', '420602', '420702', '421002'] },
	{ name: '江西', weight: 6, codes: ['360102', '360103', '360202', '360302', '360402', '360502', '360602', '360702', '360802'] },
	{ name: '四川', weight: 6, codes: ['510104', '510105', '510106', '510302', '510402', '510502', '510603', '510703', '510802'] },
	{ name: '河南', weight: 5, codes: ['410102', '410103', '410202', '410302', '410402', '410502', '410602', '410702', '410802'] }
];
const ORIGIN_WEIGHTS = ORIGINS.map((o) => o.weight);

/** The demo identities and their phones (src/demo/identities.ts). */
const PERSONA_IDS = ['440305199003071236', '440304198511124567', '440306197805207892', '440306195002142344', '440305201806015676'];
const PERSONA_PHONES = ['13800138000', '13900139000', '13700137000'];

/**
 * A second demo city's version of a demo identity (the federation demo's other region, city/presets.ts): the ID
 * number's first four digits replaced by `area` (e.g. 1101, Beijing) with its check character recomputed, and the
 * phone's last digit set to 1 — so two cities share no demo identity.
 */
export function personaVariant(area: string, idNumber: string, phone: string | null): { idNumber: string; phone: string | null } {
	const first17 = area + idNumber.slice(area.length, 17);
	return { idNumber: first17 + residentIdCheckChar(first17), phone: phone === null ? null : phone.slice(0, 10) + '1' };
}

/** Areas of the second demo cities (city/presets.ts): their demo identities are reserved too. */
export const PERSONA_AREAS = ['1101'] as const;

/** Reserved: the demo identities and their phones, in every demo city (never produced by the generator). */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
	...PERSONA_IDS,
	...PERSONA_AREAS.flatMap((a) => PERSONA_IDS.map((id) => personaVariant(a, id, null).idNumber))
]);
export const RESERVED_PHONES: ReadonlySet<string> = new Set([...PERSONA_PHONES, ...PERSONA_PHONES.map((ph) => ph.slice(0, 10) + '1')]);

// A multiplier coprime with ID_CAPACITY (= 2^2 · 3^2 · 5^4 · 73): any number without those prime factors.
const ID_MUL = 1_299_709; // prime
const ID_ADD = 777_013;
// and with 10^8 for phone numbers
const PHONE_MUL = 48_271_103; // odd, not a multiple of 5
const PHONE_ADD = 12_345_677;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthDay(dayOfYear: number): string {
	let d = dayOfYear;
	let m = 0;
	while (d >= DAYS_IN_MONTH[m]!) d -= DAYS_IN_MONTH[m++]!;
	return `${String(m + 1).padStart(2, '0')}${String(d + 1).padStart(2, '0')}`;
}

export interface Identity {
	readonly idNumber: string;
	readonly birthDate: string;
}

/**
 * The ID number of person p (0 ≤ p < ID_CAPACITY), born in `birthYear`, of origin group `origin`, sex `male`.
 * If the result happens to be a reserved demo ID, the birth year moves by one (still unique: the reserved IDs
 * are never produced by anyone else because they are reserved).
 */
export function identityFor(p: number, birthYear: number, origin: number, male: boolean): Identity {
	const q = (p * ID_MUL + ID_ADD) % ID_CAPACITY;
	const k = q % 500;
	const d = Math.floor(q / 500) % 365;
	const r = Math.floor(q / (500 * 365));
	const addr = ORIGINS[origin]!.codes[r]!;
	const md = monthDay(d);
	let year = birthYear;
	for (;;) {
		const first17 = `${addr}${year}${md}${String(2 * k + (male ? 1 : 0)).padStart(3, '0')}`;
		const id = first17 + residentIdCheckChar(first17);
		if (!RESERVED_IDS.has(id)) return { idNumber: id, birthDate: `${year}-${md.slice(0, 2)}-${md.slice(2)}` };
		year -= 1;
	}
}

export function pickOrigin(rng: Rng): number {
	return rng.weighted(ORIGIN_WEIGHTS);
}

/** 三大运营商 number prefixes (移动 / 联通 / 电信), roughly by market share. */
const PHONE_PREFIXES = [
	'134',
	'135',
	'136',
	'137',
	'138',
	'139',
	'147',
	'150',
	'151',
	'152',
	'157',
	'158',
	'159',
	'178',
	'182',
	'183',
	'184',
	'187',
	'188',
	'198',
	'130',
	'131',
	'132',
	'155',
	'156',
	'166',
	'175',
	'176',
	'185',
	'186',
	'133',
	'153',
	'173',
	'177',
	'180',
	'181',
	'189',
	'191',
	'199'
];

/** The phone number of person p: unique because the last 8 digits are a bijection of p mod 10^8. */
export function phoneFor(p: number, rng: Rng): string {
	const tail = String((p * PHONE_MUL + PHONE_ADD) % 100_000_000).padStart(8, '0');
	let prefix = rng.pick(PHONE_PREFIXES);
	while (RESERVED_PHONES.has(prefix + tail)) prefix = PHONE_PREFIXES[(PHONE_PREFIXES.indexOf(prefix) + 1) % PHONE_PREFIXES.length]!;
	return prefix + tail;
}

/** The most common surnames (第七次全国人口普查 ranking), weights roughly ∝ population. */
const SURNAMES =
	'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文';
const SURNAME_WEIGHTS = [...SURNAMES].map((_, i) => 1 / (i + 6));

/** Given-name characters by sex and generation: older people's names differ from children's. */
const GIVEN = {
	male: {
		old: '建国华明军平志强伟德福忠文国荣庆生海林',
		mid: '伟强磊洋勇军杰涛超明刚平辉鹏华飞斌宇浩凯',
		young: '子轩浩宇宇轩梓涵一诺俊熙皓轩睿泽铭博'
	},
	female: {
		old: '秀英桂英玉兰秀兰凤英淑珍丽华秀珍桂兰玉梅',
		mid: '芳娜敏静丽艳娟霞燕玲婷慧颖洁琳雪梅倩',
		young: '梓涵一诺欣怡子涵雨桐可馨诗涵梦瑶语嫣'
	}
} as const;

export function surname(rng: Rng): string {
	return SURNAMES[rng.weighted(SURNAME_WEIGHTS)]!;
}

export function givenName(rng: Rng, male: boolean, birthYear: number): string {
	const set = GIVEN[male ? 'male' : 'female'];
	const chars = birthYear < 1965 ? set.old : birthYear < 2005 ? set.mid : set.young;
	const a = chars[rng.int(0, chars.length - 1)]!;
	if (rng.chance(0.3)) return a; // one-character given names: about a third in the generation born before 2000
	return a + chars[rng.int(0, chars.length - 1)]!;
}
