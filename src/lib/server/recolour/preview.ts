/**
 * What a staff action would do to residents' colours, before it is done (proposals/ decides from it whether a
 * second staff member must approve): the candidates are evaluated with the engine the action would leave (the
 * active rules over the world facts with the area added or ended), manual overrides applied as a recolour run
 * applies them (overrides.ts), and compared with their stored colours — the same affected-set logic
 * (affected.ts) and evaluator a recolour run uses, nothing written. A rules change reuses the rules preview
 * (rule-sets.ts previewRuleSet).
 */
import type { IssuerDeps } from '../deps.js';
import type { Db } from '../store/db.js';
import type { StoredRiskArea } from '../store/risk-areas.js';
import { riskAreaFromRow } from '../store/risk-areas.js';
import { coloursOf } from '../store/resident-colours.js';
import type { RiskAreasTable } from '../store/schema.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import type { WorldFacts } from '../../core/rules/facts.js';
import { residentsInArea } from './affected.js';
import { activeRules, engineFor, type Engine } from './engine.js';
import { evaluateFacts } from './evaluate-batch.js';
import { IN_CHUNK, loadPersonFacts, loadWorldFacts } from './load-facts.js';
import { overridesFor, withOverride } from './overrides.js';
import { areaWindow } from './risk-areas.js';
import { previewRuleSet } from './rule-sets.js';

/** How many changed residents a preview names (by ref; the caller masks them). */
export const PREVIEW_SAMPLES = 10;

export interface RecolourPreview {
	/** residents evaluated */
	evaluated: number;
	/** residents whose colour would change */
	changed: number;
	/** "green→red": count */
	transitions: Record<string, number>;
	samples: { ref: string; from: string; to: string }[];
}

/** The colour changes `engine` would make among `refs`, compared with their stored colours. */
export async function previewWith(db: Db, engine: Engine, refs: readonly string[], nowMs: number): Promise<RecolourPreview> {
	const out: RecolourPreview = { evaluated: 0, changed: 0, transitions: {}, samples: [] };
	const nowSec = Math.floor(nowMs / 1000);
	for (let i = 0; i < refs.length; i += IN_CHUNK) {
		const part = refs.slice(i, i + IN_CHUNK);
		const facts = await loadPersonFacts(db, part, nowMs);
		const current = new Map((await coloursOf(db, part)).map((r) => [r.ref, r.colour]));
		const overrides = await overridesFor(db, part, nowMs);
		for (const ref of part) {
			const f = facts.get(ref);
			if (!f) continue;
			out.evaluated++;
			const to = withOverride(evaluateFacts(engine, f, nowSec).ev, overrides.get(ref)).colour;
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

async function engineWith(deps: IssuerDeps, nowMs: number, change: (w: WorldFacts) => WorldFacts): Promise<Engine> {
	return engineFor((await activeRules(deps.db)).rules, change(await loadWorldFacts(deps.db, nowMs)));
}

/** A new area: who was in it during its window, evaluated with it. */
export async function previewRiskArea(deps: IssuerDeps, area: StoredRiskArea): Promise<RecolourPreview> {
	const now = deps.clock();
	const fact = riskAreaFromRow({
		id: area.id,
		level: area.level,
		shape_json: JSON.stringify(area.shape),
		from_at: area.from,
		until_at: area.until
	});
	const engine = await engineWith(deps, now, (w) => ({ ...w, riskAreas: [...w.riskAreas.filter((a) => a.id !== fact.id), fact] }));
	return previewWith(deps.db, engine, [...(await residentsInArea(deps.db, area, now))], now);
}

/** Ending a stored area at `untilMs`: who was in it during its old window, evaluated with the shorter one. */
export async function previewEndRiskArea(deps: IssuerDeps, row: RiskAreasTable, untilMs: number): Promise<RecolourPreview> {
	const now = deps.clock();
	const ended = riskAreaFromRow({ ...row, until_at: untilMs });
	const engine = await engineWith(deps, now, (w) => ({ ...w, riskAreas: w.riskAreas.map((a) => (a.id === ended.id ? ended : a)) }));
	return previewWith(deps.db, engine, [...(await residentsInArea(deps.db, areaWindow(row), now))], now);
}

/**
 * A rules change: everyone, under the current and the new rules (the rules preview, its transitions renamed). Its
 * counts are the rules' alone: a resident under a manual override is counted by what the rules would say, though
 * applying the rules keeps the override.
 */
export async function previewRulesChange(deps: IssuerDeps, rules: RuleSet): Promise<RecolourPreview> {
	const d = await previewRuleSet(deps, rules);
	const transitions: Record<string, number> = {};
	for (const [k, n] of Object.entries(d.transitions)) transitions[k.replace('->', '→')] = n ?? 0;
	return { evaluated: d.total, changed: d.changed, transitions, samples: d.samples.slice(0, PREVIEW_SAMPLES) };
}

/** One resident set to `colour` by hand. */
export async function previewOverride(deps: IssuerDeps, ref: string, colour: string): Promise<RecolourPreview> {
	const from = (await coloursOf(deps.db, [ref]))[0]?.colour ?? 'none';
	const changed = from === colour ? 0 : 1;
	return {
		evaluated: 1,
		changed,
		transitions: changed ? { [`${from}→${colour}`]: 1 } : {},
		samples: changed ? [{ ref, from, to: colour }] : []
	};
}

/** Withdrawing an override: the colour the rules (and any other override in force) give the person without it. */
export async function previewOverrideWithdrawal(deps: IssuerDeps, ref: string, overrideId: string): Promise<RecolourPreview> {
	const now = deps.clock();
	const engine = await engineWith(deps, now, (w) => w);
	const facts = (await loadPersonFacts(deps.db, [ref], now)).get(ref);
	const others = (await overridesFor(deps.db, [ref], now)).get(ref);
	const ev = facts ? evaluateFacts(engine, facts, Math.floor(now / 1000)).ev : null;
	const to = ev ? withOverride(ev, others?.id === overrideId ? undefined : others).colour : 'green';
	return previewOverride(deps, ref, to);
}
