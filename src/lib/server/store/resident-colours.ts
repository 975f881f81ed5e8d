/**
 * resident_colours: every evaluated resident's current colour, reasons and review time (when time alone may change
 * the colour, recolour/review-due.ts), and resident_colour_events, the append-only audit row of each change.
 */
import type { Db } from './db.js';
import type { ResidentColoursTable } from './schema.js';
import { addOverviewDeltas, hourOf, type OverviewDelta } from './overview.js';
import { applyDensityChanges, densityBefore } from './map-density.js';

/** Largest `IN (…)` list / multi-row insert per statement. */
const CHUNK = 500;

export type ResidentColour = Pick<ResidentColoursTable, 'ref' | 'colour' | 'reasons_json' | 'review_at' | 'explain_json'>;

/** One change of a resident's colour, as written. */
export interface ColourChange {
	ref: string;
	colour: string;
	previous: string | null;
	reasons: readonly string[];
	ruleVersion: string;
	/** the fact ids the evaluator used (audit) */
	factsUsed: unknown;
	/** ms, or null: no time-driven change ahead */
	reviewAt: number | null;
	/** recolour/explanation.ts's JSON, or null (green; absent: none) */
	explanation?: string | null;
}

/** The current colours of these refs (absent: never evaluated). */
export async function coloursOf(db: Db, refs: readonly string[]): Promise<ResidentColour[]> {
	if (!refs.length) return [];
	return db
		.selectFrom('resident_colours')
		.select(['ref', 'colour', 'reasons_json', 'review_at', 'explain_json'])
		.where('ref', 'in', refs)
		.execute();
}

export async function residentColour(db: Db, ref: string): Promise<Omit<ResidentColour, 'ref'> | undefined> {
	return db
		.selectFrom('resident_colours')
		.select(['colour', 'reasons_json', 'review_at', 'explain_json'])
		.where('ref', '=', ref)
		.executeTakeFirst();
}

/** What a batch of colour changes adds to the overview's counts (store/overview.ts): the mix, and recolours by reason. */
function colourDeltas(changes: readonly ColourChange[], nowMs: number): OverviewDelta[] {
	const hour = hourOf(nowMs);
	const out: OverviewDelta[] = [];
	for (const c of changes) {
		if (c.previous === c.colour) continue;
		out.push({ metric: 'colour', bucket: 0, key: c.colour, n: 1 }, { metric: 'colour.net', bucket: hour, key: c.colour, n: 1 });
		if (c.previous === null) continue;
		out.push({ metric: 'colour', bucket: 0, key: c.previous, n: -1 }, { metric: 'colour.net', bucket: hour, key: c.previous, n: -1 });
		if (!c.reasons.length) out.push({ metric: 'recolour', bucket: hour, key: 'none', n: 1 });
		for (const r of c.reasons) out.push({ metric: 'recolour', bucket: hour, key: r, n: 1 });
	}
	return out;
}

/**
 * resident_colours upsert (with the review time) + the append-only audit rows, in multi-row statements, + the
 * overview's counts (in the caller's transaction, like the rows); the map's density aggregate (map-density.ts)
 * follows each change.
 */
export async function writeColours(db: Db, changes: readonly ColourChange[], nowMs: number, actor: string): Promise<void> {
	for (let i = 0; i < changes.length; i += CHUNK) {
		const b = changes.slice(i, i + CHUNK);
		const before = await densityBefore(
			db,
			b.map((c) => c.ref)
		);
		await db
			.insertInto('resident_colours')
			.values(
				b.map((c) => ({
					ref: c.ref,
					colour: c.colour,
					reasons_json: JSON.stringify(c.reasons),
					rule_version: c.ruleVersion,
					updated_at: nowMs,
					review_at: c.reviewAt,
					explain_json: c.explanation ?? null
				}))
			)
			.onConflict((oc) =>
				oc.column('ref').doUpdateSet((eb) => ({
					colour: eb.ref('excluded.colour'),
					reasons_json: eb.ref('excluded.reasons_json'),
					rule_version: eb.ref('excluded.rule_version'),
					updated_at: eb.ref('excluded.updated_at'),
					review_at: eb.ref('excluded.review_at'),
					explain_json: eb.ref('excluded.explain_json')
				}))
			)
			.execute();
		await db
			.insertInto('resident_colour_events')
			.values(
				b.map((c) => ({
					ref: c.ref,
					at: nowMs,
					colour: c.colour,
					previous_colour: c.previous,
					reasons_json: JSON.stringify(c.reasons),
					rule_version: c.ruleVersion,
					facts_json: JSON.stringify(c.factsUsed),
					actor
				}))
			)
			.execute();
		await addOverviewDeltas(db, colourDeltas(b, nowMs));
		await applyDensityChanges(db, before, b);
	}
}

/** New review times of residents whose colour did not change: one UPDATE per distinct time (holds often end together). */
export async function setReviewTimes(db: Db, reviews: readonly { ref: string; reviewAt: number | null }[]): Promise<void> {
	const byTime = new Map<number | null, string[]>();
	for (const r of reviews) {
		const list = byTime.get(r.reviewAt);
		if (list) list.push(r.ref);
		else byTime.set(r.reviewAt, [r.ref]);
	}
	for (const [reviewAt, refs] of byTime) {
		for (let i = 0; i < refs.length; i += CHUNK)
			await db
				.updateTable('resident_colours')
				.set({ review_at: reviewAt })
				.where('ref', 'in', refs.slice(i, i + CHUNK))
				.execute();
	}
}

/** New explanations of residents whose colour did not change (a test done, a later event): one UPDATE each. */
export async function setExplanations(db: Db, rows: readonly { ref: string; explanation: string | null }[]): Promise<void> {
	for (const r of rows) await db.updateTable('resident_colours').set({ explain_json: r.explanation }).where('ref', '=', r.ref).execute();
}

/** The stored explanations of these refs (absent or null: none). */
export async function explanationsOf(db: Db, refs: readonly string[]): Promise<Map<string, string | null>> {
	const out = new Map<string, string | null>();
	for (let i = 0; i < refs.length; i += CHUNK) {
		const rows = await db
			.selectFrom('resident_colours')
			.select(['ref', 'explain_json'])
			.where('ref', 'in', refs.slice(i, i + CHUNK))
			.execute();
		for (const r of rows) out.set(r.ref, r.explain_json);
	}
	return out;
}

/** Refs whose review time has come (review_at ≤ nowMs), earliest first: an index range scan. */
export async function dueForReview(db: Db, nowMs: number, limit: number): Promise<string[]> {
	const rows = await db
		.selectFrom('resident_colours')
		.select('ref')
		.where('review_at', '<=', nowMs)
		.orderBy('review_at')
		.orderBy('ref')
		.limit(limit)
		.execute();
	return rows.map((r) => r.ref);
}

/** Every evaluated ref (a rules change re-evaluates them all). */
export async function allColouredRefs(db: Db): Promise<string[]> {
	return (await db.selectFrom('resident_colours').select('ref').execute()).map((r) => r.ref);
}
