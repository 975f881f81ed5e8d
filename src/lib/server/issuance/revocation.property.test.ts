/**
 * Colour integrity by construction (issue: colour integrity): after any sequence of what residents, sources and
 * operators do — declarations and re-declarations (with and without fever), test results imported (positive,
 * negative), risk areas marked and withdrawn over one resident's stay, rules changes (the fever rule's colour, the
 * high-risk-area rule on or off),
 * negative), paper codes printed, a member added and removed (also held by a second account; removed by the person themselves), time passing with
 * the apps topping up their codes, key rotation and key compromise — EVERY code ever issued that verifies against
 * the current trust and status lists carries its person's current colour and reasons, and no removed member's
 * code verifies. Runs the real services on a real database with real keys; the codes are checked the way a
 * scanner checks them (live proof from the holder's device for phone and proxy codes).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { codeText } from '../../core/code-text.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { encodeLiveCode, timeStep } from '../../core/live-proof.js';
import { verifyCodeWithDocuments } from '../../core/verify-documents.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { accountForPhone } from '../issuer/accounts.js';
import { submitDeclaration } from '../issuer/declare.js';
import { removeMember } from '../issuer/members.js';
import { linkMemberByStaff } from '../../testing/member-link.js';
import { linksToMe, removeLinkToMe } from '../issuer/member-links.js';
import { myCodes } from '../issuer/my-codes.js';
import { paperCode } from '../issuer/paper-code.js';
import { reissueCodesOfKey } from '../issuer/reissue.js';
import { statusListDocument } from '../issuer/status.js';
import { readRootPublicKey, trustListPath } from '../keys/published.js';
import { compromiseKey, rotateKey } from '../keys/rotate.js';
import { pushRecords } from '../sources/push.js';
import { proposeRiskArea } from '../proposals/actions.js';
import { voidRiskArea } from '../recolour/risk-areas.js';
import { applyRules } from '../recolour/rule-sets.js';
import { addStaff } from '../staff/staff.js';
import { DEFAULT_RULES } from '../../core/rules/default-rules.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { STATUS_ENTRY_GRACE_MS, statusListEntries } from '../store/status-list.js';
import { setDeviceKey } from '../store/accounts.js';

const H = 3_600_000;
const ZHANG = { name: '张伟', idNumber: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', idNumber: '440304198511124567', phone: '13900139000', region: '440304' };
const WANG = { name: '王秀英', idNumber: '440306195002142344' };
const RESIDENTS = [ZHANG, LI] as const;
const devices = [tweetnaclKeyPair(new Uint8Array(32).fill(11)), tweetnaclKeyPair(new Uint8Array(32).fill(12))];
const devicesByKey = new Map(devices.map((d) => [toBase64Url(d.publicKey), d]));

type Op =
	| { t: 'declare'; who: 0 | 1; fever: boolean }
	| { t: 'test'; id: 0 | 1 | 2; positive: boolean }
	| { t: 'paper'; who: 0 | 1; member: boolean }
	| { t: 'add-member'; who: 0 | 1; person: 'wang' | 'zhang' }
	| { t: 'remove-member'; who: 0 | 1 }
	| { t: 'unlink'; who: 0 | 1 }
	| { t: 'advance'; hours: number }
	| { t: 'rotate' }
	| { t: 'compromise' }
	| { t: 'area'; level: 'high' | 'medium' }
	| { t: 'end-area' }
	| { t: 'rules'; feverColour: 'yellow' | 'red'; highRiskArea: boolean };

const who = fc.constantFrom<0 | 1>(0, 1);
const op: fc.Arbitrary<Op> = fc.oneof(
	{ arbitrary: fc.record({ t: fc.constant('declare' as const), who, fever: fc.boolean() }), weight: 4 },
	{ arbitrary: fc.record({ t: fc.constant('test' as const), id: fc.constantFrom<0 | 1 | 2>(0, 1, 2), positive: fc.boolean() }), weight: 4 },
	{ arbitrary: fc.record({ t: fc.constant('paper' as const), who, member: fc.boolean() }), weight: 3 },
	{
		arbitrary: fc.record({ t: fc.constant('add-member' as const), who, person: fc.constantFrom<'wang' | 'zhang'>('wang', 'zhang') }),
		weight: 2
	},
	{ arbitrary: fc.record({ t: fc.constant('remove-member' as const), who }), weight: 1 },
	// the person removes every link another account holds to them (their own app, issuer/member-links.ts)
	{ arbitrary: fc.record({ t: fc.constant('unlink' as const), who }), weight: 1 },
	{ arbitrary: fc.record({ t: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 14 }) }), weight: 3 },
	{ arbitrary: fc.constant({ t: 'rotate' as const }), weight: 1 },
	{ arbitrary: fc.constant({ t: 'compromise' as const }), weight: 1 },
	{ arbitrary: fc.record({ t: fc.constant('area' as const), level: fc.constantFrom<'high' | 'medium'>('high', 'medium') }), weight: 2 },
	{ arbitrary: fc.constant({ t: 'end-area' as const }), weight: 1 },
	{
		arbitrary: fc.record({
			t: fc.constant('rules' as const),
			feverColour: fc.constantFrom<'yellow' | 'red'>('yellow', 'red'),
			highRiskArea: fc.boolean()
		}),
		weight: 1
	}
);

/** 张伟's two hours inside AREA, as the carrier reports them (pushed once per run, before the first step). */
const AREA = [
	[114.05, 22.54],
	[114.06, 22.54],
	[114.06, 22.55],
	[114.05, 22.55]
];
let rulesVersion = 0;

async function apply(f: IssuerFixture, accounts: string[], o: Op): Promise<void> {
	const now = f.clock.now;
	const nowSec = Math.floor(now / 1000);
	switch (o.t) {
		case 'declare': {
			const r = RESIDENTS[o.who];
			const fever = o.fever ? { temperature: 38.6, symptoms: ['fever'] } : { temperature: 36.5, symptoms: ['none'] };
			const body = {
				name: r.name,
				idType: 'resident',
				idNumber: r.idNumber,
				phone: r.phone,
				region: r.region,
				addressDetail: '1 栋',
				travel: [],
				...fever
			};
			await submitDeclaration(f.deps, { id: accounts[o.who]! }, body);
			return;
		}
		case 'test': {
			const idNumber = [ZHANG, LI, WANG][o.id]!.idNumber;
			const records = [{ idNumber, sampledAt: new Date(now - H).toISOString(), result: o.positive ? 'positive' : 'negative' }];
			await pushRecords(f.deps, 'tests', { records }, 'source/health/k');
			return;
		}
		case 'paper': {
			const member = o.member ? (await myCodes(f.deps, accounts[o.who]!)).people.find((p) => p.relation !== 'self') : undefined;
			await paperCode(f.deps, accounts[o.who]!, member ? { personId: member.personId } : {});
			return;
		}
		case 'add-member': {
			const p = o.person === 'wang' ? WANG : ZHANG;
			await linkMemberByStaff(f.deps, accounts[o.who]!, { name: p.name, idNumber: p.idNumber });
			return;
		}
		case 'remove-member': {
			const member = (await myCodes(f.deps, accounts[o.who]!)).people.find((p) => p.relation !== 'self');
			if (member) await removeMember(f.deps, accounts[o.who]!, member.personId);
			return;
		}
		case 'unlink': {
			for (const l of await linksToMe(f.deps, accounts[o.who]!)) await removeLinkToMe(f.deps, accounts[o.who]!, l.linkId);
			return;
		}
		case 'advance':
			f.clock.now += o.hours * H;
			// the apps open: GET /me/codes tops up whoever needs a new code
			for (const a of accounts) await myCodes(f.deps, a);
			return;
		case 'rotate':
			await rotateKey(f.deps.keys, f.deps.dataDir, { region: '440300', nowSec, delayHours: 0 });
			return;
		case 'area': {
			f.deps.config.approvalThreshold = 1_000_000; // the two-person rule is proposals.test.ts's subject, not this one's
			const staff = await staffOf(f);
			await proposeRiskArea(f.deps, staff, {
				name: '福田某小区',
				level: o.level,
				polygon: AREA,
				from: new Date(now - 48 * H).toISOString(),
				reasonCode: 'risk-area-outbreak'
			});
			return;
		}
		case 'end-area': {
			const area = await f.deps.db.selectFrom('risk_areas').select('id').orderBy('created_at', 'desc').executeTakeFirst();
			if (area) await voidRiskArea(f.deps, area.id, 'staff/test');
			return;
		}
		case 'rules': {
			const d = DEFAULT_RULES.rules;
			const rules: RuleSet = {
				...DEFAULT_RULES,
				version: `property-${++rulesVersion}`,
				rules: {
					...d,
					'fever-declared': { ...d['fever-declared'], colour: o.feverColour },
					'high-risk-area-stay': { ...d['high-risk-area-stay'], active: o.highRiskArea }
				}
			};
			await applyRules(f.deps, rules, 'staff/test');
			return;
		}
		case 'compromise': {
			const active = f.deps.keys.activeIssuer('440300', nowSec);
			if (!active) return;
			await compromiseKey(f.deps.keys, f.deps.dataDir, { kid: active.kid, nowSec });
			await reissueCodesOfKey(f.deps, active.kid);
			return;
		}
	}
}

async function staffOf(f: IssuerFixture): Promise<string> {
	const row = await f.deps.db.selectFrom('staff').select('id').where('username', '=', 'prop.staff').executeTakeFirst();
	return row?.id ?? (await addStaff(f.deps.db, 'prop.staff', 'password-of-prop-123', f.clock.now));
}

/**
 * The status list stays bounded by the codes that can still verify: it never lists a code more than the grace past
 * its expiry, so churn (re-declarations, member add/remove, reprints) cannot grow it without bound.
 */
async function unboundedEntries(f: IssuerFixture): Promise<number> {
	const listed = await statusListEntries(f.deps.db, '440300', f.clock.now);
	const live = await f.deps.db
		.selectFrom('codes')
		.select('code_id')
		.where('exp', '>', Math.floor((f.clock.now - STATUS_ENTRY_GRACE_MS) / 1000))
		.execute();
	return listed.length - live.length;
}

/** Every code ever issued, checked as a scanner would now; returns the violations (empty: the invariant holds). */
async function violations(f: IssuerFixture): Promise<string[]> {
	const now = f.clock.now;
	const trustList = new Uint8Array(readFileSync(trustListPath(f.deps.dataDir)));
	const status = (await statusListDocument(f.deps.db, f.deps.keys, '440300', now)).bytes;
	const rootPublicKey = readRootPublicKey(f.deps.dataDir)!;
	const codes = await f.deps.db.selectFrom('codes').innerJoin('people', 'people.id', 'codes.person_id').selectAll().execute();
	const colours = new Map((await f.deps.db.selectFrom('resident_colours').selectAll().execute()).map((c) => [c.ref, c]));
	const out: string[] = [];
	for (const c of codes) {
		const credential = fromBase64Url(c.credential)!;
		const device = c.holder_key ? devicesByKey.get(c.holder_key) : undefined;
		if (c.kind !== 'paper' && !device) throw new Error(`code ${c.code_id} bound to an unknown device`);
		const qr = device ? codeText(await encodeLiveCode(credential, timeStep(now), device.sign)) : codeText(credential);
		const v = await verifyCodeWithDocuments(qr, { trustList, statusLists: [status], rootPublicKey, now, backend: tweetnaclBackend });
		if (v.verdict !== 'valid') continue;
		const current = colours.get(c.id_hmac);
		const reasons = current && current.colour !== 'green' ? (JSON.parse(current.reasons_json) as string[]) : [];
		const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
		if (c.removed_at !== null) out.push(`${c.kind} code of a removed member verifies`);
		else if (!current || current.colour !== v.claims!.colour || !same(reasons, v.claims!.reasons))
			out.push(
				`${c.kind} code (${v.claims!.colour} ${v.claims!.reasons.join(',')}) verifies; the person is ${current?.colour ?? 'unknown'}`
			);
	}
	return out;
}

describe('revocation is complete by construction', () => {
	it('every code that verifies carries its person’s current colour, after every step of any sequence', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 9 }), async (ops) => {
				const f = await issuerFixture();
				try {
					const accounts: string[] = [];
					for (const [i, r] of RESIDENTS.entries()) {
						const id = await accountForPhone(f.deps, r.phone, f.clock.now);
						await setDeviceKey(f.deps.db, id, toBase64Url(devices[i]!.publicKey));
						accounts.push(id);
					}
					// both start declared, so there is something to revoke from the first step
					await apply(f, accounts, { t: 'declare', who: 0, fever: false });
					await apply(f, accounts, { t: 'declare', who: 1, fever: false });
					const at = (k: number) => new Date(f.clock.now - 30 * H + k * 15 * 60_000).toISOString();
					const records = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({
						phone: ZHANG.phone,
						at: at(k),
						lat: 22.545,
						lon: 114.055,
						accuracyM: 20
					}));
					await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
					for (const [step, o] of ops.entries()) {
						f.clock.now += 60_000;
						try {
							await apply(f, accounts, o);
						} catch (e) {
							// a refusal (a member already held elsewhere, nothing to print…) is an outcome, not a failure
							if (!(e instanceof DomainError)) throw e;
						}
						expect(await violations(f), `after step ${step}: ${JSON.stringify(o)}`).toEqual([]);
						expect(await unboundedEntries(f), `status list entries beyond the live codes after step ${step}`).toBeLessThanOrEqual(0);
					}
				} finally {
					await f.close();
				}
			}),
			{ numRuns: 30 }
		);
	}, 240_000);

	it('the case that used to leak: a same-colour re-declaration and a paper print, then a positive test', async () => {
		const f = await issuerFixture();
		try {
			const id = await accountForPhone(f.deps, ZHANG.phone, f.clock.now);
			await setDeviceKey(f.deps.db, id, toBase64Url(devices[0]!.publicKey));
			const accounts = [id];
			await apply(f, accounts, { t: 'declare', who: 0, fever: false });
			await apply(f, accounts, { t: 'paper', who: 0, member: false });
			f.clock.now += 60_000;
			await apply(f, accounts, { t: 'declare', who: 0, fever: false }); // the first green codes are now superseded
			f.clock.now += 60_000;
			await apply(f, accounts, { t: 'test', id: 0, positive: true });
			expect(await violations(f)).toEqual([]);
			// and the status list is what did it: every green code is on it
			const green = await f.deps.db.selectFrom('codes').select('code_id').where('colour', '=', 'green').execute();
			const listed = await f.deps.db.selectFrom('status_entries').select('code_id').execute();
			expect(green.length).toBeGreaterThanOrEqual(4); // 2 + paper + 2 again
			expect(new Set(listed.map((r) => r.code_id))).toEqual(new Set(green.map((r) => r.code_id)));
		} finally {
			await f.close();
		}
	});
});
