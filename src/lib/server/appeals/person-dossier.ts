/**
 * Everything an officer needs to judge one person's colour (appeals, person lookup), masked: the stored colour;
 * each reason with the exact facts behind it as the rules see them now (which test, which area and stay, which
 * case and overlap — dates, places and the data source); the records an officer may correct; codes and their
 * status; the colour history; corrections made; appeals. The reasons come from evaluating the person's facts
 * with the active rules at this moment (the same engine a recolour uses), so they name fact ids that still exist.
 */
import type { IssuerDeps } from '../deps.js';
import type { PersonDossier, FactView, CorrectableRecord } from '../../core/contract/console-appeals.js';
import type { PersonFacts } from '../../core/rules/facts.js';
import { appealsOfRef } from '../store/appeals.js';
import { codesOfPeople, peopleRowsOfRef, residentColourRow } from '../store/dossier.js';
import { caseConfirmations, factCorrectionsOfRef, factRecordsOf } from '../store/fact-corrections.js';
import { colourEventsOfPerson } from '../store/colour-events.js';
import { riskAreaNames } from '../store/risk-areas.js';
import { venueNames } from '../store/venues.js';
import { loadEngine } from '../recolour/engine.js';
import { evaluateFacts } from '../recolour/evaluate-batch.js';
import { loadPersonFacts } from '../recolour/load-facts.js';
import { overridesFor, withOverride } from '../recolour/overrides.js';
import { settleAppeals } from '../issuer/appeals.js';
import { consoleAppeal, shortRef } from './console-appeal.js';

const ms = (sec: number) => sec * 1000;

/** `display`: the masked identity to show when no account holds the person (e.g. looked up by an ID no one declared). */
export async function personDossier(
	deps: IssuerDeps,
	ref: string,
	display?: { idMasked: string; nameMasked?: string }
): Promise<PersonDossier> {
	const db = deps.db;
	const now = deps.clock();
	await settleAppeals(db);
	const people = await peopleRowsOfRef(db, ref);
	const main = people[0];
	const [colour, records, corrections, appeals, codes, history] = await Promise.all([
		residentColourRow(db, ref),
		factRecordsOf(db, ref),
		factCorrectionsOfRef(db, ref),
		appealsOfRef(db, ref),
		codesOfPeople(
			db,
			people.map((p) => p.id),
			20
		),
		main ? colourEventsOfPerson(db, main.id, 50) : Promise.resolve([])
	]);
	const contactCases = await caseConfirmations(db, [...new Set(records.contacts.map((c) => c.to_ref))]);
	const received = new Map<string, number>([
		...records.tests.map((r) => [`test:${r.id}`, r.received_at] as const),
		...records.cases.map((r) => [`case:${r.id}`, r.received_at] as const),
		...records.contacts.map((r) => [`contact:${r.id}`, r.received_at] as const),
		...records.quarantine.map((r) => [`quarantine:${r.id}`, r.received_at] as const)
	]);
	const correctable: CorrectableRecord[] = [
		...records.tests.map((r) => ({
			kind: 'test' as const,
			id: r.id,
			at: r.sampled_at,
			value: r.result,
			receivedAt: r.received_at,
			source: 'health'
		})),
		...records.cases.map((r) => ({
			kind: 'case' as const,
			id: r.id,
			at: r.confirmed_at,
			until: r.released_at,
			receivedAt: r.received_at,
			source: 'health'
		})),
		...records.contacts.map((r) => ({
			kind: 'contact' as const,
			id: r.id,
			at: r.exposed_at,
			value: r.kind,
			receivedAt: r.received_at,
			source: 'public-security',
			caseConfirmedAt: contactCases.get(r.to_ref)?.confirmed_at ?? null
		})),
		...records.quarantine.map((r) => ({
			kind: 'quarantine' as const,
			id: r.id,
			at: r.from_at,
			until: r.until_at,
			receivedAt: r.received_at,
			source: 'health'
		}))
	];
	return {
		person: {
			ref: shortRef(ref),
			nameMasked: main?.name_masked ?? display?.nameMasked ?? '—',
			idMasked: main?.id_masked ?? display?.idMasked ?? '—',
			region: main?.region ?? ''
		},
		colour: colour
			? {
					colour: colour.colour,
					reasons: JSON.parse(colour.reasons_json) as string[],
					updatedAt: colour.updated_at,
					ruleVersion: colour.rule_version
				}
			: null,
		reasons: await reasonsNow(deps, ref, now, received, contactCases),
		records: correctable,
		codes: codes.map((c) => ({
			codeId: c.code_id,
			colour: c.colour,
			kind: c.kind,
			iat: c.iat,
			exp: c.exp,
			status: c.status,
			revokedAt: c.revoked_at
		})),
		history: history.map((h) => ({
			at: h.at,
			colour: h.colour,
			reasons: JSON.parse(h.reasons_json) as string[],
			actor: h.actor,
			reasonCode: h.reason_code
		})),
		corrections: corrections.map((c) => ({
			at: c.at,
			kind: c.fact_kind,
			factId: c.fact_id,
			before: JSON.parse(c.before_json) as unknown,
			after: c.after_json === null ? null : (JSON.parse(c.after_json) as unknown),
			why: c.why,
			by: c.corrected_by
		})),
		appeals: appeals.map((a) => consoleAppeal(a, now))
	};
}

/** The reasons the rules give now, each with its facts resolved to what, when, where and from which source. */
async function reasonsNow(
	deps: IssuerDeps,
	ref: string,
	now: number,
	received: Map<string, number>,
	contactCases: Map<string, { id: string; confirmed_at: number }>
): Promise<PersonDossier['reasons']> {
	const facts = (await loadPersonFacts(deps.db, [ref], now)).get(ref);
	if (!facts) return [];
	const engine = await loadEngine(deps.db, now, { cacheKey: deps.db });
	const override = (await overridesFor(deps.db, [ref], now)).get(ref);
	const ev = withOverride(evaluateFacts(engine, facts, Math.floor(now / 1000)).ev, override);
	const ids = ev.events.flatMap((e) => [...e.facts]);
	const venueIds = [
		...new Set([
			...facts.visits.filter((v) => ids.includes(v.id)).map((v) => v.venueId),
			...ev.events.flatMap((e) => (e.place?.kind === 'venue' ? [e.place.id] : []))
		])
	];
	const areaIds = [
		...new Set([
			...ids.filter((x) => x.startsWith('area:')),
			...ev.events.flatMap((e) => (e.place?.kind === 'risk-area' ? [e.place.id] : []))
		])
	];
	const [venues, areas] = await Promise.all([venueNames(deps.db, venueIds), riskAreaNames(deps.db, areaIds)]);
	return ev.events.map((e) => {
		const placeName = e.place ? (e.place.kind === 'risk-area' ? areas.get(e.place.id) : venues.get(e.place.id)) : undefined;
		return {
			reason: e.reason,
			at: ms(e.at),
			endsAt: e.endsAt === undefined || e.endsAt === null ? null : ms(e.endsAt),
			place: e.place ? { kind: e.place.kind, name: placeName ?? e.place.id } : null,
			facts: factViews(facts, [...e.facts], { received, contactCases, venues, areas })
		};
	});
}

interface Lookups {
	received: Map<string, number>;
	contactCases: Map<string, { id: string; confirmed_at: number }>;
	venues: Map<string, string>;
	areas: Map<string, string>;
}

/**
 * Fact ids → views. The person's own trajectory points become one `stay` (first and last point, count, cells);
 * points that are not theirs belong to a case (a companion rule's evidence) and are only counted — never placed
 * or named, they are another person's movements.
 */
function factViews(f: PersonFacts, ids: readonly string[], l: Lookups): FactView[] {
	const out: FactView[] = [];
	const ownPoints = new Map(f.trajectory.map((p) => [p.id, p]));
	const stay = ids.flatMap((id) => (ownPoints.has(id) ? [ownPoints.get(id)!] : []));
	let others = 0;
	for (const id of ids) {
		const [prefix] = id.split(':', 1);
		const rec = (kind: string) => ({ kind, id: id.slice(prefix!.length + 1), receivedAt: l.received.get(id) ?? null });
		if (prefix === 'test') {
			const t = f.tests.find((x) => x.id === id);
			if (t) out.push({ ...rec('test'), at: ms(t.sampledAt), value: t.result, source: 'health' });
		} else if (prefix === 'case') {
			const c = f.cases.find((x) => x.id === id);
			if (c)
				out.push({ ...rec('case'), at: ms(c.confirmedAt), until: c.releasedAt === undefined ? null : ms(c.releasedAt), source: 'health' });
			else others++; // another person's case (the companion / co-visit rules): counted, not named
		} else if (prefix === 'contact') {
			const c = f.contacts.find((x) => x.id === id);
			if (c)
				out.push({
					...rec('contact'),
					at: ms(c.exposedAt),
					value: c.kind,
					source: 'public-security',
					caseConfirmedAt: l.contactCases.get(c.to)?.confirmed_at ?? null
				});
		} else if (prefix === 'quarantine') {
			const q = f.quarantine.find((x) => x.id === id);
			if (q) out.push({ ...rec('quarantine'), at: ms(q.from), until: ms(q.until), source: 'health' });
		} else if (prefix === 'visit' || prefix === 'scan') {
			const v = f.visits.find((x) => x.id === id);
			if (v)
				out.push({
					kind: prefix,
					id: id.slice(prefix.length + 1),
					at: ms(v.at),
					place: l.venues.get(v.venueId) ?? v.venueId,
					source: prefix === 'scan' ? 'guard' : 'venue'
				});
			else others++;
		} else if (prefix === 'declaration') {
			out.push({ kind: 'declaration', id: id.slice(12), at: f.declaration ? ms(f.declaration.at) : null, source: 'resident' });
		} else if (prefix === 'area') {
			out.push({ kind: 'area', id: id.slice(5), at: null, place: l.areas.get(id) ?? id.slice(5), source: 'authority' });
		} else if (prefix === 'point') {
			if (!ownPoints.has(id)) others++;
		} else out.push({ kind: 'other', id, at: null, source: 'other' });
	}
	if (stay.length) {
		const times = stay.map((p) => p.at).sort((a, b) => a - b);
		const cells = [...new Set(stay.map((p) => p.cell).filter((c): c is string => typeof c === 'string'))];
		const first = stay.find((p) => p.at === times[0])!;
		out.push({
			kind: 'stay',
			id: `${first.id}…`,
			at: ms(times[0]!),
			until: ms(times.at(-1)!),
			count: stay.length,
			place: `${first.lat.toFixed(4)}, ${first.lon.toFixed(4)}${cells.length ? ` · ${cells.slice(0, 3).join(', ')}` : ''}`,
			source: 'carrier'
		});
	}
	if (others) out.push({ kind: 'case-presence', id: '—', at: null, count: others, source: 'health' });
	return out;
}
