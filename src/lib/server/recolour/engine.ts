/**
 * The rules engine as a recolour run uses it: the active rule set and a world index built once per run, and
 * `evaluate(personFacts, now)` per resident.
 *
 * INTERIM: until the rules engine (src/lib/core/rules, parallel branch `rules`) is merged, this evaluates the
 * person-level rules only — confirmed case, positive test, quarantine order, close / secondary contact, risk-area
 * stays (point in polygon), declared fever / symptoms — with the default durations of the 第九版 plan. It is
 * replaced by the core evaluator at merge; the interface stays.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PersonFacts, RiskArea } from '../../core/rules/facts.js';
import type { Colour } from '../../core/claims.js';
import { loadWorldFacts } from './load-facts.js';

export interface Evaluation {
	colour: Colour;
	reasons: readonly string[];
	factsUsed: readonly string[];
	ruleVersion: string;
}

export interface Engine {
	readonly ruleVersion: string;
	evaluate(facts: PersonFacts, nowSec: number): Evaluation;
}

const INTERIM_VERSION = 'interim-2';
const DAY = 86_400;

function inRing(lon: number, lat: number, ring: readonly (readonly [number, number])[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i]!;
		const [xj, yj] = ring[j]!;
		if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

function interimEngine(areas: readonly RiskArea[]): Engine {
	return {
		ruleVersion: INTERIM_VERSION,
		evaluate(f, now) {
			const red: [string, string][] = [];
			const yellow: [string, string][] = [];
			for (const c of f.cases) if (c.releasedAt === undefined || c.releasedAt > now) red.push(['confirmed-case', c.id]);
			for (const t of f.tests) {
				if (t.result !== 'positive') continue;
				const cleared = f.tests.filter((n) => n.result === 'negative' && n.sampledAt > t.sampledAt).length >= 2;
				if (!cleared) red.push(['positive-test', t.id]);
			}
			for (const q of f.quarantine) if (q.from <= now && now < q.until) red.push(['quarantine-order', q.id]);
			for (const c of f.contacts) {
				if (now - c.exposedAt > 14 * DAY) continue;
				const cleared = now - c.exposedAt >= 7 * DAY && f.tests.filter((n) => n.result === 'negative' && n.sampledAt >= c.exposedAt).length >= (c.kind === 'close' ? 5 : 3);
				if (!cleared) (c.kind === 'close' ? red : yellow).push([`${c.kind}-contact`, c.id]);
			}
			for (const a of areas) {
				if (a.shape.type !== 'polygon') continue;
				const shape = a.shape;
				const p = f.trajectory.find((x) => x.at >= a.from && (a.until === undefined || x.at < a.until) && now - x.at <= 7 * DAY && inRing(x.lon, x.lat, shape.ring));
				if (p) (a.level === 'high' ? red : yellow).push([`${a.level}-risk-area-stay`, p.id], [`${a.level}-risk-area-stay`, a.id]);
			}
			const d = f.declaration;
			if (d && now - d.at <= 3 * DAY && !f.tests.some((t) => t.result === 'negative' && t.sampledAt >= d.at)) {
				if (d.temperatureC >= 37.3) yellow.push(['fever-declared', d.id]);
				if (d.symptoms.length) yellow.push(['symptoms-declared', d.id]);
			}
			const hits = red.length ? red : yellow;
			return {
				colour: red.length ? 'red' : yellow.length ? 'yellow' : 'green',
				reasons: [...new Set(hits.map((h) => h[0]))].sort(),
				factsUsed: [...new Set([...red, ...yellow].map((h) => h[1]))],
				ruleVersion: INTERIM_VERSION
			};
		}
	};
}

let cache: { key: object; at: number; engine: Engine } | undefined;
const CACHE_MS = 60_000;

/** Forget the cached engine (facts or rules changed). */
export function invalidateEngine(): void {
	cache = undefined;
}

/**
 * The active rules over the current world facts. `cacheKey` (the app's database handle): reuse an engine built
 * for it in the last minute — declarations use this; recolour runs after new facts build a fresh one. `db` may
 * be the caller's transaction (on SQLite a query outside it would wait for it).
 */
export async function loadEngine(db: Kysely<Database> | Transaction<Database>, nowMs: number, opts: { cacheKey?: object } = {}): Promise<Engine> {
	if (opts.cacheKey && cache && cache.key === opts.cacheKey && nowMs - cache.at < CACHE_MS && nowMs >= cache.at) return cache.engine;
	const world = await loadWorldFacts(db, nowMs);
	const engine = interimEngine(world.riskAreas);
	if (opts.cacheKey) cache = { key: opts.cacheKey, at: nowMs, engine };
	return engine;
}
