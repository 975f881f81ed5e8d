import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateResidentId } from '../../lib/core/declaration/resident-id.js';
import { DEFAULT_RULES } from '../../lib/core/rules/default-rules.js';
import { evaluate } from '../../lib/core/rules/evaluate.js';
import { buildWorldIndex } from '../../lib/core/rules/spatial-index.js';
import { DEMO_IDENTITIES } from '../identities.js';
import { generateCity } from './city.js';
import { EXPOSURE_MIN_S } from './exposures.js';
import { DEFAULT_STRUCTURE, SECOND_CITY, SECOND_CITY_SEED } from './structure.js';
import type { City, CityHousehold, CityPerson } from './types.js';
import { cityWorldFacts } from './world.js';

const START = 1_795_896_000; // 2026-11-29 12:00 China time
const START_YEAR = '2026';

function digest(city: City): string {
	const h = createHash('sha256');
	for (const hh of city.households()) h.update(JSON.stringify(hh));
	return h.digest('hex');
}

describe('demo city generator', { timeout: 60_000 }, () => {
	const city = generateCity({ residents: 10_000, start: START });
	const households: CityHousehold[] = [...city.households()];
	const people = households.flatMap((h) => h.members);

	it('is deterministic: same seed, same output; another seed, another city', () => {
		const again = generateCity({ residents: 10_000, start: START });
		expect(digest(again)).toBe(digest(city));
		const small = (seed: string) => digest(generateCity({ residents: 2_000, start: START, seed }));
		expect(small('other')).not.toBe(small('tongxing'));
	}, 300_000);

	it('gives the same household by random access as by iteration', () => {
		for (const k of [0, 2, 17, city.householdCount - 1]) expect(city.household(k)).toEqual(households[k]);
	});

	const caseIndexes = () => city.caseHouseholds();
	it('gives every household’s home and size without generating it (home(h), for the map benchmark)', () => {
		households.forEach((hh, k) => {
			const home = city.home(k);
			expect([home.lat, home.lon, home.members], hh.id).toEqual([hh.home.lat, hh.home.lon, hh.members.length]);
		});
		for (const k of caseIndexes()) expect(city.home(k).lat).toBe(households[k]!.home.lat);
		expect(() => city.home(city.householdCount)).toThrow(RangeError);
	});

	it('has exactly the requested residents in households of 1–6 with valid, unique IDs and phones', () => {
		expect(people).toHaveLength(10_000);
		for (const h of households) {
			expect(h.members.length).toBeGreaterThanOrEqual(1);
			expect(h.members.length).toBeLessThanOrEqual(6);
			expect(h.members.filter((m) => m.role === 'head')).toHaveLength(1);
			expect(city.options.regions).toContain(h.region);
		}
		expect(new Set(households.map((h) => h.id)).size).toBe(households.length);
		const ids = new Set<string>();
		const phones = new Set<string>();
		for (const m of people) {
			const v = validateResidentId(m.idNumber, START * 1000);
			expect(v, m.idNumber).toEqual({ ok: true, value: m.idNumber });
			expect(m.idNumber.slice(6, 14)).toBe(m.birthDate.replaceAll('-', ''));
			// GB 11643: odd sequence code for men (the fixed demo ID of 王芳 predates the city and is exempt)
			if (!DEMO_IDENTITIES.some((d) => d.idNumber === m.idNumber)) expect(Number(m.idNumber[16]) % 2 === 1).toBe(m.sex === 'male');
			ids.add(m.idNumber);
			if (m.phone !== null) {
				expect(m.phone).toMatch(/^1[3-9]\d{9}$/);
				phones.add(m.phone);
			}
			expect(m.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
		}
		expect(ids.size).toBe(people.length);
		expect(phones.size).toBe(people.filter((m) => m.phone !== null).length);
		// children and some elderly have no phone; ages run from babies to the very old
		const ages = people.map((m) => 2026 - Number(m.birthDate.slice(0, 4)));
		expect(Math.min(...ages)).toBeLessThanOrEqual(2);
		expect(Math.max(...ages)).toBeGreaterThanOrEqual(85);
		expect(people.filter((m) => m.phone === null && m.occupation === 'retired').length).toBeGreaterThan(0);
		expect(people.filter((m) => m.phone === null && m.occupation === 'preschool').length).toBeGreaterThan(0);
	});

	it('keeps every fact inside the city and the 14-day window, with unique fact ids', () => {
		const { south, west, north, east } = city.bbox;
		const { from, until } = city.window;
		expect(until - from).toBe(14 * 86_400);
		const venueIds = new Set(city.venues.map((v) => v.id));
		const factIds = new Set<string>();
		let points = 0;
		// plain loops and one assertion per invariant: expect() per point would take minutes
		const bad: string[] = [];
		for (const m of people) {
			let last = -Infinity;
			for (const p of m.facts.trajectory) {
				if (!(p.lat >= south && p.lat <= north && p.lon >= west && p.lon <= east)) bad.push(`${p.id} outside the city`);
				if (!(p.at >= from && p.at < until)) bad.push(`${p.id} outside the window`);
				if (p.at < last) bad.push(`${p.id} out of order`);
				if (!((p.accuracyM >= 5 && p.accuracyM <= 50) || (p.accuracyM >= 200 && p.accuracyM <= 1500)))
					bad.push(`${p.id} accuracy ${p.accuracyM}`);
				last = p.at;
				factIds.add(p.id);
				points++;
			}
			if (m.phone === null && m.facts.trajectory.length > 0) bad.push(`${m.key} has points but no phone`);
			for (const v of m.facts.visits) {
				if (!venueIds.has(v.venueId)) bad.push(`${v.id} unknown venue`);
				if (!(v.at >= from && v.at < until)) bad.push(`${v.id} outside the window`);
				factIds.add(v.id);
			}
			for (const t of m.facts.tests) {
				if (!(t.sampledAt >= from && t.sampledAt < until)) bad.push(`${t.id} outside the window`);
				factIds.add(t.id);
			}
			for (const f of [...m.facts.cases, ...m.facts.quarantine, ...m.facts.contacts]) factIds.add(f.id);
		}
		expect(bad.slice(0, 10)).toEqual([]);
		const f = (m: CityPerson) =>
			m.facts.trajectory.length +
			m.facts.visits.length +
			m.facts.tests.length +
			m.facts.cases.length +
			m.facts.quarantine.length +
			m.facts.contacts.length;
		const facts = people.reduce((n, m) => n + f(m), 0);
		expect(factIds.size).toBe(facts);
		// compact: a handful of points a day per phone, not minute by minute
		const perPhoneDay = points / people.filter((m) => m.phone).length / 14;
		expect(perPhoneDay).toBeGreaterThan(4);
		expect(perPhoneDay).toBeLessThan(16);
		for (const v of city.venues) {
			expect(v.lat >= south && v.lat <= north && v.lon >= west && v.lon <= east).toBe(true);
			expect(v.nameZh.length).toBeGreaterThan(0);
			expect(v.nameEn.length).toBeGreaterThan(0);
		}
	});

	it('keeps ground truth consistent with the outbreak facts', () => {
		const cases = people.filter((m) => m.facts.cases.length > 0);
		expect(cases.map((m) => m.key).sort()).toEqual([...city.outbreak.caseKeys].sort());
		for (const c of cases) {
			expect(c.truth).toMatchObject({ exposed: true, infected: true });
			expect(c.facts.tests.at(-1)?.result).toBe('positive');
		}
		for (const m of people.filter((x) => x.facts.cases.length === 0)) {
			expect(m.truth.infected).toBe(false);
			expect(m.facts.tests.every((t) => t.result === 'negative')).toBe(true);
			if (m.truth.exposed) {
				expect(m.truth.exposure!.seconds).toBeGreaterThanOrEqual(EXPOSURE_MIN_S);
				expect(m.truth.exposure!.at).toBeGreaterThanOrEqual(city.window.from);
			} else expect(m.truth.exposure).toBeUndefined();
		}
		const exposed = people.filter((m) => m.truth.exposed && !m.truth.infected);
		// the comparison needs both: exposed people seen only through cell points, and close contacts named
		expect(
			exposed.filter((m) => m.facts.trajectory.length > 0 && m.facts.trajectory.every((p) => p.accuracyM >= 200)).length
		).toBeGreaterThan(0);
		expect(exposed.filter((m) => m.facts.contacts.some((c) => c.kind === 'close')).length).toBeGreaterThan(0);
		// every contact points at a real person's ID number
		const ids = new Set(people.map((m) => m.idNumber));
		for (const m of people) for (const c of m.facts.contacts) expect(ids.has(c.to)).toBe(true);
	});

	it('places the demo identities with the colours they are meant to have under the default rules', () => {
		const byId = new Map(people.map((m) => [m.idNumber, m]));
		for (const d of DEMO_IDENTITIES) {
			const m = byId.get(d.idNumber);
			expect(m?.name).toBe(d.name);
			expect(m?.phone).toBe(d.phone);
		}
		const wang = households.find((h) => h.members.some((m) => m.name === '王芳'))!;
		expect(wang.members.map((m) => m.name).sort()).toEqual(['王小明', '王秀英', '王芳'].sort());
		const index = buildWorldIndex(cityWorldFacts(city), DEFAULT_RULES);
		for (const p of city.personas) {
			const m = byId.get(p.idNumber)!;
			const colour = evaluate(DEFAULT_RULES, { ref: m.key, ...m.facts }, index, city.window.until).colour;
			expect(colour, `${p.name}: ${p.why}`).toBe(p.intended);
		}
	}, 60_000);

	it('yields mostly green people under the default rules', () => {
		const index = buildWorldIndex(cityWorldFacts(city), DEFAULT_RULES);
		const counts = { green: 0, yellow: 0, red: 0 };
		for (const m of people) counts[evaluate(DEFAULT_RULES, { ref: m.key, ...m.facts }, index, city.window.until).colour]++;
		expect(counts.green / people.length).toBeGreaterThan(0.8);
		expect(counts.yellow).toBeGreaterThan(0);
		expect(counts.red).toBeGreaterThan(0);
	}, 300_000);

	it('rejects bad options with a clear error', () => {
		expect(() => generateCity({ residents: 5, start: START })).toThrow(/residents/);
		expect(() => generateCity({ residents: 2_000_000, start: START })).toThrow(/residents/);
		expect(() => generateCity({ start: Number.NaN })).toThrow(/start/);
		expect(() => generateCity({ start: START, regions: ['4403'] })).toThrow(/regions/);
	});

	it('builds a city of another structure from the same generator (issue 17: the second city)', () => {
		const stats = (structure: typeof DEFAULT_STRUCTURE, seed: string) => {
			const c = generateCity({ residents: 3_000, start: START, seed, structure });
			let people = 0;
			let adults = 0;
			let adultPhones = 0;
			let points = 0;
			let fixes = 0;
			for (const hh of c.households())
				for (const m of hh.members) {
					people++;
					const age = Number(START_YEAR) - Number(m.birthDate.slice(0, 4));
					if (age >= 20 && age < 68) {
						adults++;
						if (m.phone) adultPhones++;
					}
					points += m.facts.trajectory.length;
					fixes += m.facts.trajectory.filter((p) => p.cell === undefined).length;
				}
			const kinds = (k: string) => c.venues.filter((v) => v.kind === k).length / c.venues.length;
			return { people, c, adultPhoneShare: adultPhones / adults, fixShare: fixes / points, markets: kinds('market'), malls: kinds('mall') };
		};
		const first = stats(DEFAULT_STRUCTURE, 'tongxing');
		const second = stats(SECOND_CITY, SECOND_CITY_SEED);
		expect(second.people).toBe(3_000);
		expect(first.adultPhoneShare).toBe(1);
		expect(second.adultPhoneShare).toBeLessThan(0.97);
		expect(second.fixShare).toBeLessThan(first.fixShare);
		expect(second.malls).toBeGreaterThan(first.malls);
		expect(second.markets).toBeLessThan(first.markets);
		// the denser tower grid: more cells in the same area
		expect(second.c.cells.length).toBeGreaterThan(first.c.cells.length * 1.5);
		// its outbreak still happens, with cases, contacts and a risk area
		expect(second.c.outbreak.caseKeys.length).toBeGreaterThan(1);
		expect(second.c.outbreak.riskAreas.length).toBeGreaterThan(0);
		expect(() => generateCity({ start: START, structure: { phoneOwnership: 1.5 } })).toThrow(/phoneOwnership/);
		expect(() => generateCity({ start: START, structure: { towerSpacingM: 50 } })).toThrow(/towerSpacingM/);
		expect(() => generateCity({ start: START, structure: { scanCoverage: { ...SECOND_CITY.scanCoverage, park: -1 } } })).toThrow(
			/scanCoverage\.park/
		);
	}, 120_000);
});
