/**
 * Contacts named by staff in the console (issue 15, contact tracing): people marked as close or secondary
 * contacts of a confirmed case become `contacts` facts (as the public-security source's would), and those people
 * are recoloured through the normal path — the rules decide their colour, the one issuance pipeline issues it.
 * The preview evaluates them with the new facts added, nothing written (proposals/kinds.ts `contacts`).
 */
import { createHash } from 'node:crypto';
import type { IssuerDeps } from '../deps.js';
import type { StaffDecision } from '../issuance/decision.js';
import { transaction } from '../store/db.js';
import { upsertContacts } from '../store/facts-import.js';
import { coloursOf } from '../store/resident-colours.js';
import type { ContactKind } from '../store/schema.js';
import { toBase64Url } from '../../core/bytes.js';
import { activeRules, engineFor } from './engine.js';
import { evaluateFacts } from './evaluate-batch.js';
import { IN_CHUNK, loadPersonFacts, loadWorldFacts } from './load-facts.js';
import { overridesFor, withOverride } from './overrides.js';
import { PREVIEW_SAMPLES, type RecolourPreview } from './preview.js';
import { recolour, type RecolourResult } from './recolour.js';

export interface NamedContacts {
	/** the case's ref (the exposure was to them) */
	caseRef: string;
	kind: ContactKind;
	/** each person's ref and last exposure (ms) */
	people: { ref: string; exposedAt: number }[];
}

/** One fact per (case, person, kind): naming someone again updates the exposure time instead of adding a fact. */
export function contactId(caseRef: string, ref: string, kind: ContactKind): string {
	return `console-${toBase64Url(createHash('sha256').update(`${caseRef}\n${ref}\n${kind}`).digest()).slice(0, 22)}`;
}

const factsOf = (c: NamedContacts) =>
	c.people.map((p) => ({ id: contactId(c.caseRef, p.ref, c.kind), ref: p.ref, toRef: c.caseRef, kind: c.kind, exposedAt: p.exposedAt }));

/** The colour changes naming these contacts would make, compared with the stored colours. */
export async function previewContacts(deps: IssuerDeps, c: NamedContacts): Promise<RecolourPreview> {
	const now = deps.clock();
	const nowSec = Math.floor(now / 1000);
	const engine = engineFor((await activeRules(deps.db)).rules, await loadWorldFacts(deps.db, now));
	const added = new Map(factsOf(c).map((f) => [f.ref, f]));
	const refs = [...added.keys()];
	const out: RecolourPreview = { evaluated: 0, changed: 0, transitions: {}, samples: [] };
	for (let i = 0; i < refs.length; i += IN_CHUNK) {
		const part = refs.slice(i, i + IN_CHUNK);
		const facts = await loadPersonFacts(deps.db, part, now);
		const current = new Map((await coloursOf(deps.db, part)).map((r) => [r.ref, r.colour]));
		const overrides = await overridesFor(deps.db, part, now);
		for (const ref of part) {
			const f = facts.get(ref);
			const n = added.get(ref)!;
			if (!f) continue;
			out.evaluated++;
			const fact = { id: `contact:${n.id}`, kind: n.kind, exposedAt: Math.floor(n.exposedAt / 1000), to: n.toRef };
			const withContact = { ...f, contacts: [...f.contacts.filter((x) => x.id !== fact.id), fact] };
			const to = withOverride(evaluateFacts(engine, withContact, nowSec).ev, overrides.get(ref)).colour;
			const from = current.get(ref) ?? 'none';
			if (from === to) continue;
			out.changed++;
			const k = `${from}→${to}`;
			out.transitions[k] = (out.transitions[k] ?? 0) + 1;
			if (out.samples.length < PREVIEW_SAMPLES) out.samples.push({ ref, from, to });
		}
	}
	return out;
}

/** Stores the contact facts, then recolours the people named (the normal path: new codes, old ones revoked). */
export async function applyContacts(deps: IssuerDeps, c: NamedContacts, actor: string, staff: StaffDecision): Promise<RecolourResult> {
	const now = deps.clock();
	await transaction(deps.db, (tx) => upsertContacts(tx, factsOf(c), now));
	return recolour(deps, [...new Set(c.people.map((p) => p.ref))], { actor, staff });
}
