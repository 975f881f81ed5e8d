/**
 * Risk areas entered by the authority (console API, `tongxing risk-area`): a polygon ([lon, lat] ring) or a
 * set of grid cells (src/lib/core/rules/grid.ts ids, e.g. `g800:3511:28740`), level high / medium, an active
 * window. Creating, changing or ending one recolours exactly the residents whose trajectories were in it
 * during its window (affected.ts: one index range scan per grid cell), attributed to the actor.
 */
import { parseIsoTime } from '../../core/iso-time.js';
import { randomBytes } from 'node:crypto';
import type { IssuerDeps } from '../deps.js';
import { transaction } from '../store/db.js';
import {
	insertRiskAreas,
	latestRiskAreas,
	riskAreaById,
	setRiskAreaEnd,
	type RiskShape,
	type StoredRiskArea
} from '../store/risk-areas.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { toBase64Url } from '../../core/bytes.js';
import { cellBounds, parseCellId } from '../../core/rules/grid.js';
import { bboxOf, type BBox } from '../geo/grid.js';
import { parseRing } from '../../core/geo-ring.js';
import { residentsInArea } from './affected.js';
import { invalidateEngine } from './engine.js';
import { recolour, type RecolourResult } from './recolour.js';
import type { StaffDecision } from '../issuance/decision.js';
import type { RiskAreasTable } from '../store/schema.js';

export const MAX_CELLS = 10_000;
const FIELDS = ['name', 'level', 'polygon', 'cells', 'from', 'until'];

const problem = (field: string, code: string, en: string, zh: string): FieldProblem => ({ field, code, message: { 'zh-CN': zh, en } });

function isoMs(v: unknown): number | null {
	if (typeof v !== 'string') return null;
	const t = parseIsoTime(v, { allowDateOnly: false });
	return Number.isNaN(t) ? null : t;
}

function cellsBBox(cells: readonly string[]): BBox {
	const b = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
	for (const c of cells) {
		const x = cellBounds(c)!;
		b.west = Math.min(b.west, x.west);
		b.south = Math.min(b.south, x.south);
		b.east = Math.max(b.east, x.east);
		b.north = Math.max(b.north, x.north);
	}
	return b;
}

/** Validates a risk-area document: { name, level, polygon | cells, from, until? } (times ISO 8601 with a zone). */
export function parseRiskArea(body: unknown): StoredRiskArea {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('request/not-object');
	const o = body as Record<string, unknown>;
	const errors: FieldProblem[] = Object.keys(o)
		.filter((k) => !FIELDS.includes(k))
		.map((k) => problem(k, 'request/unknown-field', 'unknown field', '未知字段'));
	const name = typeof o.name === 'string' ? o.name.trim() : '';
	if (!name || name.length > 100) errors.push(problem('name', 'area/name', 'a name of 1–100 characters', '名称须为 1–100 个字符'));
	if (o.level !== 'high' && o.level !== 'medium') errors.push(problem('level', 'area/level', 'high or medium', '须为 high 或 medium'));
	let shape: RiskShape | null = null;
	let bbox: BBox | null = null;
	if ((o.polygon === undefined) === (o.cells === undefined))
		errors.push(problem('polygon', 'area/shape', 'give exactly one of polygon or cells', '须给出 polygon 或 cells 之一'));
	else if (o.polygon !== undefined) {
		const r = parseRing(o.polygon);
		if (r.ok) {
			shape = { type: 'polygon', ring: r.ring };
			bbox = bboxOf(r.ring);
		} else errors.push(problem('polygon', 'area/polygon', r.en, r.zh));
	} else {
		const cells = o.cells;
		if (
			!Array.isArray(cells) ||
			cells.length === 0 ||
			cells.length > MAX_CELLS ||
			!cells.every((c) => typeof c === 'string' && parseCellId(c) !== null)
		) {
			errors.push(
				problem('cells', 'area/cells', `1 to ${MAX_CELLS} grid cell ids like g800:3511:28740`, `须为 1 到 ${MAX_CELLS} 个网格编号`)
			);
		} else {
			shape = { type: 'cells', cells: cells as string[] };
			bbox = cellsBBox(cells as string[]);
		}
	}
	const from = isoMs(o.from);
	if (from === null)
		errors.push(
			problem('from', 'time/format', 'an ISO 8601 time with a zone, e.g. 2026-11-29T08:00:00+08:00', '须为带时区的 ISO 8601 时间')
		);
	const until = o.until === undefined || o.until === null ? null : isoMs(o.until);
	if (o.until !== undefined && o.until !== null && until === null)
		errors.push(problem('until', 'time/format', 'an ISO 8601 time with a zone', '须为带时区的 ISO 8601 时间'));
	if (from !== null && until !== null && until <= from) errors.push(problem('until', 'time/order', 'must be after from', '须晚于开始时间'));
	if (errors.length) throw new DomainError('area/invalid', { errors });
	return { id: toBase64Url(randomBytes(9)), name, level: o.level as 'high' | 'medium', shape: shape!, bbox: bbox!, from: from!, until };
}

export interface AreaOutcome {
	id: string;
	recoloured: { evaluated: number; changed: number; transitions: Record<string, number>; ms: number; workers: number };
}

const summary = (r: RecolourResult) => ({
	evaluated: r.evaluated,
	changed: r.changed,
	transitions: r.transitions,
	ms: r.ms,
	workers: r.workers ?? 0
});

export async function createRiskArea(deps: IssuerDeps, body: unknown, actor: string): Promise<AreaOutcome> {
	return applyRiskArea(deps, parseRiskArea(body), actor);
}

/** Stores a parsed area and recolours who was in it; `staff`: the proposal it carries out (proposals/). */
export async function applyRiskArea(deps: IssuerDeps, area: StoredRiskArea, actor: string, staff?: StaffDecision): Promise<AreaOutcome> {
	const now = deps.clock();
	await transaction(deps.db, (tx) => insertRiskAreas(tx, [area], now, actor));
	invalidateEngine();
	const refs = await residentsInArea(deps.db, area, now);
	return { id: area.id, recoloured: summary(await recolour(deps, refs, { actor, ...(staff ? { staff } : {}) })) };
}

/** The stored area that may be ended at `untilMs` (area/not-found, area/ended, area/invalid otherwise). */
export async function endableRiskArea(deps: IssuerDeps, id: string, untilMs: number): Promise<RiskAreasTable> {
	const row = await riskAreaById(deps.db, id);
	if (!row) throw new DomainError('area/not-found');
	if (row.until_at !== null && row.until_at <= untilMs) throw new DomainError('area/ended');
	if (untilMs <= row.from_at)
		throw new DomainError('area/invalid', { errors: [problem('until', 'time/order', 'must be after the start', '须晚于开始时间')] });
	return row;
}

/** Ends an area now (or at `untilMs`): it stops applying from then; people it made red or yellow are re-evaluated. */
export async function endRiskArea(
	deps: IssuerDeps,
	id: string,
	actor: string,
	untilMs = deps.clock(),
	staff?: StaffDecision
): Promise<AreaOutcome> {
	const row = await endableRiskArea(deps, id, untilMs);
	const now = deps.clock();
	// who was in it during its old window: compute before narrowing it
	const refs = await residentsInArea(deps.db, areaWindow(row), now);
	await setRiskAreaEnd(deps.db, id, untilMs);
	invalidateEngine();
	return { id, recoloured: summary(await recolour(deps, refs, { actor, ...(staff ? { staff } : {}) })) };
}

/**
 * Withdraws an area as if it had never applied (an urgent one that lapsed unapproved, or was rejected): its window
 * becomes empty (until = from) and everyone who was in it is re-evaluated without it.
 */
export async function voidRiskArea(deps: IssuerDeps, id: string, actor: string): Promise<AreaOutcome> {
	const row = await riskAreaById(deps.db, id);
	if (!row) throw new DomainError('area/not-found');
	const refs = await residentsInArea(deps.db, areaWindow(row), deps.clock());
	await setRiskAreaEnd(deps.db, id, row.from_at);
	invalidateEngine();
	return { id, recoloured: summary(await recolour(deps, refs, { actor })) };
}

/** A stored area's box and window, as residentsInArea takes them. */
export function areaWindow(row: RiskAreasTable): Pick<StoredRiskArea, 'bbox' | 'from' | 'until'> {
	return {
		bbox: { west: row.bbox_west, south: row.bbox_south, east: row.bbox_east, north: row.bbox_north },
		from: row.from_at,
		until: row.until_at
	};
}

export async function listRiskAreas(deps: IssuerDeps) {
	const rows = await latestRiskAreas(deps.db, 1000);
	const now = deps.clock();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		level: r.level,
		shape: JSON.parse(r.shape_json) as RiskShape,
		from: new Date(r.from_at).toISOString(),
		until: r.until_at === null ? null : new Date(r.until_at).toISOString(),
		active: r.from_at <= now && (r.until_at === null || now < r.until_at),
		createdBy: r.created_by
	}));
}
