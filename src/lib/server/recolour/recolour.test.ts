/**
 * Risk areas and rule sets drive recolouring: a new area recolours exactly the residents whose trajectories were
 * inside it in its window (audit entry, old codes on the status list, new code), nobody else; bad area and rules
 * documents are refused with field errors and write nothing; a rules preview counts transitions without saving,
 * saving makes a new active version and recolours.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { DEFAULT_RULES } from '../../core/rules/default-rules.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { DomainError } from '../domain-error.js';
import { myCodes } from '../issuer/my-codes.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';
import { createRiskArea, endRiskArea } from './risk-areas.js';
import { getActiveRules, previewRules, saveRules } from './rule-sets.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const AREA = [
	[114.05, 22.54],
	[114.06, 22.54],
	[114.06, 22.55],
	[114.05, 22.55]
];
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const apiError = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => (e instanceof DomainError ? e : Promise.reject(e as Error))
	);

const declared = (p: typeof ZHANG) => declaredResident(f, p, device);

async function trajectories() {
	const h = 3_600_000;
	const at = (k: number) => iso(f.clock.now - 30 * h + k * 15 * 60_000);
	// 张伟 spends two hours inside the area; 李娜 stays 5 km east
	const records = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [
		{ phone: ZHANG.phone, at: at(k), lat: 22.545, lon: 114.055, accuracyM: 20 },
		{ phone: LI.phone, at: at(k), lat: 22.545, lon: 114.105, accuracyM: 20 }
	]);
	await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
}

const events = (r: string) => f.deps.db.selectFrom('resident_colour_events').selectAll().where('ref', '=', r).orderBy('id').execute();

describe('risk areas', () => {
	it('a new high-risk area recolours exactly who was in it; ending it re-evaluates them', async () => {
		const zhang = await declared(ZHANG);
		const li = await declared(LI);
		await trajectories();
		const oldIds = (await myCodes(f.deps, zhang)).people[0]!.codes.map((c) => c.codeId);
		const liBefore = await events(ref(LI.id));
		f.clock.now += 60_000;
		const out = await createRiskArea(
			f.deps,
			{ name: '福田某小区', level: 'high', polygon: AREA, from: iso(f.clock.now - 48 * 3_600_000) },
			'staff/s1'
		);
		expect(out.recoloured).toMatchObject({ evaluated: 1, changed: 1, transitions: { 'green→red': 1 } });
		const last = (await events(ref(ZHANG.id))).at(-1)!;
		expect(last).toMatchObject({ colour: 'red', previous_colour: 'green', actor: 'staff/s1' });
		expect(JSON.parse(last.reasons_json)).toEqual(['high-risk-area-stay']);
		expect(JSON.parse(last.facts_json)).toEqual(expect.arrayContaining([expect.stringMatching(/^point:/)]));
		const revoked = await f.deps.db.selectFrom('status_entries').select('code_id').where('code_id', 'in', oldIds).execute();
		expect(revoked).toHaveLength(oldIds.length);
		expect((await myCodes(f.deps, zhang)).people[0]!.codes.map((c) => [c.colour, c.reasons])).toEqual([
			['red', ['high-risk-area-stay']],
			['red', ['high-risk-area-stay']]
		]);
		expect(await events(ref(LI.id))).toEqual(liBefore);
		expect((await myCodes(f.deps, li)).people[0]!.codes[0]!.colour).toBe('green');

		const ended = await endRiskArea(f.deps, out.id, 'staff/s1');
		expect(ended.recoloured.evaluated).toBe(1);
		expect(await apiError(endRiskArea(f.deps, out.id, 'staff/s1'))).toMatchObject({ code: 'area/ended' });
		expect(await apiError(endRiskArea(f.deps, 'nope', 'staff/s1'))).toMatchObject({ code: 'area/not-found' });
	});

	it('explains the colour beside the codes: the date and name of the place, the way back; a test done moves it and the ETag', async () => {
		const zhang = await declared(ZHANG);
		await trajectories();
		expect((await myCodes(f.deps, zhang)).people[0]!.explanation).toBeNull();
		f.clock.now += 60_000;
		await createRiskArea(f.deps, { name: '福田某小区', level: 'high', polygon: AREA, from: iso(f.clock.now - 48 * 3_600_000) }, 'staff/s1');
		const x = (await myCodes(f.deps, zhang)).people[0]!.explanation!;
		const lastInArea = Math.floor((f.clock.now - 60_000 - 30 * 3_600_000 + 7 * 15 * 60_000) / 1000);
		expect(x.details).toEqual([
			{ reason: 'high-risk-area-stay', at: lastInArea, place: { kind: 'risk-area', name: '福田某小区' }, endsAt: lastInArea + 7 * 86_400 }
		]);
		expect(x.path).toEqual([{ reason: 'high-risk-area-stay', kind: 'wait-until', until: lastInArea + 7 * 86_400 }]);

		// a close contact: red with five tests to do; one negative test moves "done" and the phone's ETag
		const exposedAt = f.clock.now - 2 * 86_400_000;
		await pushRecords(
			f.deps,
			'relations',
			{ records: [{ idNumber: ZHANG.id, contactOf: LI.id, kind: 'close', exposedAt: iso(exposedAt) }] },
			'source/public-security/k'
		);
		const before = await myCodes(f.deps, zhang);
		const tests = (m: typeof before) =>
			m.people[0]!.explanation!.path.find((s) => s.kind === 'negative-tests' && s.reason === 'close-contact');
		expect(tests(before)).toMatchObject({ count: 5, apartHours: 12, withinDays: 7, after: exposedAt / 1000, done: 0 });
		// no tests yet: it ends by itself only when it ages out (14 days), not when the 7-day hold does
		expect(before.people[0]!.explanation!.details.find((d) => d.reason === 'close-contact')).toEqual({
			reason: 'close-contact',
			at: exposedAt / 1000,
			endsAt: exposedAt / 1000 + 14 * 86_400 + 1
		});
		await pushRecords(
			f.deps,
			'tests',
			{ records: [{ idNumber: ZHANG.id, sampledAt: iso(exposedAt + 3_600_000), result: 'negative' }] },
			'source/health/k'
		);
		const after = await myCodes(f.deps, zhang);
		expect(tests(after)).toMatchObject({ done: 1 });
		expect(after.etag).not.toBe(before.etag);
	});

	it('refuses bad area documents with every field named, writing nothing', async () => {
		const e = await apiError(
			createRiskArea(
				f.deps,
				{
					name: '',
					level: 'severe',
					polygon: [
						[114, 22],
						[114, 22]
					],
					from: '2026-11-29 08:00',
					colour: 'red'
				},
				'staff/s1'
			)
		);
		expect(e).toMatchObject({ code: 'area/invalid' });
		expect(e!.errors!.map((x) => x.field).sort()).toEqual(['colour', 'from', 'level', 'name', 'polygon']);
		const both = await apiError(
			createRiskArea(f.deps, { name: 'x', level: 'high', polygon: AREA, cells: ['g800:1:1'], from: iso(f.clock.now) }, 'staff/s1')
		);
		expect(both!.errors!.map((x) => x.code)).toEqual(['area/shape']);
		const cells = await apiError(createRiskArea(f.deps, { name: 'x', level: 'high', cells: ['nope'], from: iso(f.clock.now) }, 'staff/s1'));
		expect(cells!.errors!.map((x) => x.code)).toEqual(['area/cells']);
		expect(await f.deps.db.selectFrom('risk_areas').selectAll().execute()).toEqual([]);
		const ok = await createRiskArea(
			f.deps,
			{ name: '网格', level: 'medium', cells: ['g800:3130:20000'], from: iso(f.clock.now - 3_600_000) },
			'staff/s1'
		);
		expect(ok.recoloured.evaluated).toBe(0);
	});
});

describe('rule sets', () => {
	it('previews a change without saving, saves it as the active version and recolours; refuses invalid rules and reused versions', async () => {
		await declared(ZHANG);
		await declared(LI);
		await trajectories();
		await createRiskArea(f.deps, { name: '区', level: 'medium', polygon: AREA, from: iso(f.clock.now - 48 * 3_600_000) }, 'staff/s1');
		expect(
			(await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', ref(ZHANG.id)).executeTakeFirstOrThrow()).colour
		).toBe('yellow');
		const bad = await apiError(previewRules(f.deps, { ...DEFAULT_RULES, version: '' }));
		expect(bad).toMatchObject({ code: 'rules/invalid' });
		const next = {
			...DEFAULT_RULES,
			version: 'test-2',
			rules: { ...DEFAULT_RULES.rules, 'medium-risk-area-stay': { ...DEFAULT_RULES.rules['medium-risk-area-stay'], active: false } }
		};
		const preview = await previewRules(f.deps, next);
		expect(preview).toMatchObject({
			changed: 1,
			transitions: { 'yellow->green': 1 },
			fromVersion: DEFAULT_RULES.version,
			toVersion: 'test-2'
		});
		expect(preview.total).toBeGreaterThanOrEqual(2);
		expect((await getActiveRules(f.deps)).builtIn).toBe(true);
		const saved = await saveRules(f.deps, next, 'staff/s1');
		// residents never evaluated before (in the register, no facts) get their first colour, audited, too
		expect(saved.recoloured.transitions).toEqual({ 'yellow→green': 1, 'none→green': 3 });
		expect(await getActiveRules(f.deps)).toMatchObject({ builtIn: false, savedBy: 'staff/s1', rules: { version: 'test-2' } });
		expect((await events(ref(ZHANG.id))).at(-1)).toMatchObject({ colour: 'green', rule_version: 'test-2', actor: 'staff/s1' });
		expect(await apiError(saveRules(f.deps, next, 'staff/s1'))).toMatchObject({
			code: 'rules/version-exists',
			params: { version: next.version }
		});
	});
});
