/**
 * The kinds of record a data source delivers, each one validator (raw row → typed record, or field errors)
 * and one writer, shared by the push API (sources/push.ts) and the file import (sources/import.ts), so a row
 * means the same thing whichever way it arrives. Column names are the JSON field names; docs/data-sources.md
 * lists them with examples.
 *
 * Records are stored against `ref` (the keyed hash of the ID number, never the number) and phones as keyed
 * hashes. Fact ids are derived from the record's identity (e.g. person + sample time for a test), so importing
 * the same file twice stores each fact once and a corrected row updates it.
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { ContactKind, Database, RiskLevel, TestResult } from '../store/schema.js';
import { toBase64Url } from '../../core/bytes.js';
import { isRegionCode } from '../../core/declaration/regions.js';
import { validateResidentId } from '../../core/declaration/resident-id.js';
import { normaliseName } from '../../core/declaration/schema.js';
import { normalisePhone } from '../auth/phone.js';
import { nameHmac } from '../issuer/cross-check.js';
import { idHmac } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';
import { MAX_ACCURACY_M, bboxOf, gridOf, type BBox } from '../geo/grid.js';
import { KIND_FIELDS, KIND_NAMES, SOURCES, isKindName, type KindName, type Source } from '../../core/contract/import-kinds.js';

/** The source and kind lists live in the contract (core/contract/import-kinds.ts); re-exported for server code. */
export { KIND_NAMES, SOURCES, isKindName, type KindName, type Source };

export interface FieldIssue {
	field: string;
	code: string;
	en: string;
	zh: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export interface ParseContext {
	hmacKey: Uint8Array;
	nowMs: number;
}

/** What stored records may change colours of (sources/affected.ts turns it into residents). */
export interface Affected {
	refs: Set<string>;
	/** phones (keyed hashes) whose owners are affected */
	phones: Set<string>;
	/** refs that became (or stopped being) confirmed cases: their contacts, companions and co-visitors too */
	caseRefs: Set<string>;
	/** risk areas created or changed: everyone whose trajectory was in them in their window */
	riskAreas: StoredRiskArea[];
}

export function emptyAffected(): Affected {
	return { refs: new Set(), phones: new Set(), caseRefs: new Set(), riskAreas: [] };
}

export interface RecordKind<T> {
	readonly name: KindName;
	readonly source: Source;
	/** accepted fields (CSV header names / JSON keys) */
	readonly fields: readonly string[];
	readonly required: readonly string[];
	parse(raw: Readonly<Record<string, unknown>>, ctx: ParseContext): Parsed<T>;
	/** Stores a batch (inside the caller's transaction); `nowMs` = receipt time. */
	write(tx: Transaction<Database>, rows: readonly T[], nowMs: number): Promise<void>;
	noteAffected(rows: readonly T[], into: Affected): void;
}

// ── field readers: each returns the value, or records an issue and returns undefined ─────────────────────

class Reader {
	readonly issues: FieldIssue[] = [];
	constructor(
		readonly raw: Readonly<Record<string, unknown>>,
		readonly ctx: ParseContext
	) {}

	private fail(field: string, code: string, en: string, zh: string): undefined {
		this.issues.push({ field, code, en, zh });
		return undefined;
	}

	/** absent: undefined or the empty string (a CSV's empty cell) */
	present(field: string): boolean {
		const v = this.raw[field];
		return v !== undefined && v !== null && v !== '';
	}

	string(field: string, max: number, optional = false): string | undefined {
		if (!this.present(field)) return optional ? undefined : this.fail(field, 'field/required', 'required', '必填');
		const v = this.raw[field];
		if (typeof v !== 'string') return this.fail(field, 'field/type', 'must be text', '须为文本');
		const t = v.trim();
		if (t.length > max) return this.fail(field, 'field/too-long', `at most ${max} characters`, `最多 ${max} 个字符`);
		return t;
	}

	ref(field: string): string | undefined {
		const v = this.string(field, 40);
		if (v === undefined) return undefined;
		const id = validateResidentId(v, this.ctx.nowMs);
		if (!id.ok) return this.fail(field, id.code, 'invalid resident ID number (GB 11643)', '居民身份证号无效');
		return idHmac(this.ctx.hmacKey, 'resident', id.value);
	}

	phone(field: string): string | undefined {
		if (!this.present(field)) return this.fail(field, 'field/required', 'required', '必填');
		const p = normalisePhone(typeof this.raw[field] === 'number' ? String(this.raw[field]) : this.raw[field]);
		if (!p) return this.fail(field, 'phone/format', 'invalid mainland mobile number', '手机号无效');
		return keyedHash(this.ctx.hmacKey, 'phone', p);
	}

	/** ISO 8601; without a zone it is China Standard Time (UTC+8, no daylight saving), as Chinese sources write it. */
	/** `allowFuture`: an order's or area's end may lie ahead; facts that happened may not. */
	time(field: string, optional = false, allowFuture = false): number | undefined {
		const v = this.string(field, 40, optional);
		if (v === undefined) return undefined;
		const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?(Z|[+-]\d{2}:\d{2})?$/.exec(v);
		const ms = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? '+08:00'}`) : NaN;
		if (Number.isNaN(ms))
			return this.fail(
				field,
				'time/format',
				'expected an ISO 8601 time, e.g. 2026-11-20T08:30:00+08:00',
				'时间格式应为 ISO 8601，如 2026-11-20T08:30:00+08:00'
			);
		if (!allowFuture && ms > this.ctx.nowMs + 86_400_000) return this.fail(field, 'time/future', 'is in the future', '时间在未来');
		return ms;
	}

	number(field: string, min: number, max: number, optional = false): number | undefined {
		if (!this.present(field)) return optional ? undefined : this.fail(field, 'field/required', 'required', '必填');
		const v = this.raw[field];
		const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
		if (!Number.isFinite(n)) return this.fail(field, 'field/number', 'must be a number', '须为数字');
		if (n < min || n > max) return this.fail(field, 'field/range', `must be between ${min} and ${max}`, `须在 ${min} 到 ${max} 之间`);
		return n;
	}

	oneOf<T extends string>(field: string, values: readonly T[], aliases: Readonly<Record<string, T>> = {}): T | undefined {
		const v = this.string(field, 20);
		if (v === undefined) return undefined;
		const x = (values as readonly string[]).includes(v.toLowerCase()) ? (v.toLowerCase() as T) : aliases[v];
		if (x === undefined) return this.fail(field, 'field/enum', `must be one of ${values.join(', ')}`, `须为 ${values.join('、')} 之一`);
		return x;
	}

	unknownFields(fields: readonly string[]): void {
		for (const k of Object.keys(this.raw)) if (!fields.includes(k)) this.fail(k, 'field/unknown', 'unknown field', '未知字段');
	}

	done<T>(value: () => T): Parsed<T> {
		return this.issues.length ? { ok: false, issues: this.issues } : { ok: true, value: value() };
	}
}

function factId(...parts: (string | number)[]): string {
	return toBase64Url(createHash('sha256').update(parts.join('\0')).digest()).slice(0, 22);
}

/** Rows per multi-row INSERT: ≤ 8 columns × 1000 stays under both engines' bound-parameter limits. */
const BATCH = 1000;
async function inBatches<T>(rows: readonly T[], fn: (batch: T[]) => Promise<unknown>): Promise<void> {
	for (let i = 0; i < rows.length; i += BATCH) await fn(rows.slice(i, i + BATCH));
}

function define<T>(k: Omit<RecordKind<T>, 'parse'> & { read(r: Reader): () => T }): RecordKind<T> {
	return {
		...k,
		parse(raw, ctx) {
			const r = new Reader(raw, ctx);
			r.unknownFields(k.fields);
			const build = k.read(r);
			return r.done(build);
		}
	};
}

// ── health ──────────────────────────────────────────────────────────────────────────────────────────────

export interface TestRecord {
	id: string;
	ref: string;
	sampledAt: number;
	result: TestResult;
}

export const testsKind = define<TestRecord>({
	name: 'tests',
	source: 'health',
	fields: KIND_FIELDS.tests,
	required: ['idNumber', 'sampledAt', 'result'],
	read(r) {
		const ref = r.ref('idNumber');
		const sampledAt = r.time('sampledAt');
		const result = r.oneOf('result', ['negative', 'positive'] as const, { 阴性: 'negative', 阳性: 'positive' });
		return () => ({ id: factId('test', ref!, sampledAt!), ref: ref!, sampledAt: sampledAt!, result: result! });
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('health_tests')
				.values(b.map((x) => ({ id: x.id, ref: x.ref, sampled_at: x.sampledAt, result: x.result, received_at: now })))
				.onConflict((oc) =>
					oc.column('id').doUpdateSet((eb) => ({ result: eb.ref('excluded.result'), received_at: eb.ref('excluded.received_at') }))
				)
				.execute()
		);
	},
	noteAffected(rows, into) {
		for (const x of rows) into.refs.add(x.ref);
	}
});

export interface CaseRecord {
	id: string;
	ref: string;
	confirmedAt: number;
	releasedAt: number | null;
}

export const casesKind = define<CaseRecord>({
	name: 'cases',
	source: 'health',
	fields: KIND_FIELDS.cases,
	required: ['idNumber', 'confirmedAt'],
	read(r) {
		const ref = r.ref('idNumber');
		const confirmedAt = r.time('confirmedAt');
		const releasedAt = r.time('releasedAt', true);
		if (confirmedAt !== undefined && releasedAt !== undefined && releasedAt < confirmedAt)
			r.issues.push({ field: 'releasedAt', code: 'time/order', en: 'is before confirmedAt', zh: '早于确诊时间' });
		return () => ({ id: factId('case', ref!, confirmedAt!), ref: ref!, confirmedAt: confirmedAt!, releasedAt: releasedAt ?? null });
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('cases')
				.values(b.map((x) => ({ id: x.id, ref: x.ref, confirmed_at: x.confirmedAt, released_at: x.releasedAt, received_at: now })))
				.onConflict((oc) =>
					oc
						.column('id')
						.doUpdateSet((eb) => ({ released_at: eb.ref('excluded.released_at'), received_at: eb.ref('excluded.received_at') }))
				)
				.execute()
		);
	},
	noteAffected(rows, into) {
		for (const x of rows) {
			into.refs.add(x.ref);
			into.caseRefs.add(x.ref);
		}
	}
});

export interface QuarantineRecord {
	id: string;
	ref: string;
	from: number;
	until: number;
}

export const quarantineKind = define<QuarantineRecord>({
	name: 'quarantine',
	source: 'health',
	fields: KIND_FIELDS.quarantine,
	required: ['idNumber', 'from', 'until'],
	read(r) {
		const ref = r.ref('idNumber');
		const from = r.time('from');
		const until = r.time('until', false, true);
		if (from !== undefined && until !== undefined && until <= from)
			r.issues.push({ field: 'until', code: 'time/order', en: 'must be after from', zh: '须晚于开始时间' });
		return () => ({ id: factId('quarantine', ref!, from!), ref: ref!, from: from!, until: until! });
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('quarantine_orders')
				.values(b.map((x) => ({ id: x.id, ref: x.ref, from_at: x.from, until_at: x.until, received_at: now })))
				.onConflict((oc) =>
					oc.column('id').doUpdateSet((eb) => ({ until_at: eb.ref('excluded.until_at'), received_at: eb.ref('excluded.received_at') }))
				)
				.execute()
		);
	},
	noteAffected(rows, into) {
		for (const x of rows) into.refs.add(x.ref);
	}
});

// ── public security ─────────────────────────────────────────────────────────────────────────────────────

export interface RegisterRecord {
	ref: string;
	nameHmac: string;
	region: string;
	household: string | null;
}

export const registerKind = define<RegisterRecord>({
	name: 'register',
	source: 'public-security',
	fields: KIND_FIELDS.register,
	required: ['idNumber', 'name', 'region'],
	read(r) {
		const ref = r.ref('idNumber');
		const rawName = r.string('name', 60);
		const name = rawName === undefined ? undefined : normaliseName(rawName);
		if (rawName !== undefined && (!name || name.length > 30))
			r.issues.push({ field: 'name', code: 'name/length', en: 'invalid name', zh: '姓名无效' });
		const region = r.string('region', 6);
		if (region !== undefined && !isRegionCode(region))
			r.issues.push({ field: 'region', code: 'region/unknown', en: 'unknown GB/T 2260 region', zh: '地区代码无效' });
		const household = r.string('household', 40, true);
		return () => ({ ref: ref!, nameHmac: nameHmac(r.ctx.hmacKey, name!), region: region!, household: household ?? null });
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('household_register')
				.values(b.map((x) => ({ id_hmac: x.ref, name_hmac: x.nameHmac, region: x.region, household_id: x.household, updated_at: now })))
				.onConflict((oc) =>
					oc.column('id_hmac').doUpdateSet((eb) => ({
						name_hmac: eb.ref('excluded.name_hmac'),
						region: eb.ref('excluded.region'),
						household_id: eb.ref('excluded.household_id'),
						updated_at: eb.ref('excluded.updated_at')
					}))
				)
				.execute()
		);
	},
	noteAffected(rows, into) {
		for (const x of rows) into.refs.add(x.ref);
	}
});

export interface RelationRecord {
	id: string;
	ref: string;
	toRef: string;
	kind: ContactKind;
	exposedAt: number;
}

export const relationsKind = define<RelationRecord>({
	name: 'relations',
	source: 'public-security',
	fields: KIND_FIELDS.relations,
	required: ['idNumber', 'contactOf', 'kind', 'exposedAt'],
	read(r) {
		const ref = r.ref('idNumber');
		const toRef = r.ref('contactOf');
		const kind = r.oneOf('kind', ['close', 'secondary'] as const, { 密接: 'close', 次密接: 'secondary' });
		const exposedAt = r.time('exposedAt');
		if (ref !== undefined && ref === toRef)
			r.issues.push({ field: 'contactOf', code: 'relation/self', en: 'a person cannot be their own contact', zh: '不能是本人' });
		return () => ({ id: factId('contact', ref!, toRef!, kind!), ref: ref!, toRef: toRef!, kind: kind!, exposedAt: exposedAt! });
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('contacts')
				.values(b.map((x) => ({ id: x.id, ref: x.ref, kind: x.kind, to_ref: x.toRef, exposed_at: x.exposedAt, received_at: now })))
				.onConflict((oc) =>
					oc.column('id').doUpdateSet((eb) => ({ exposed_at: eb.ref('excluded.exposed_at'), received_at: eb.ref('excluded.received_at') }))
				)
				.execute()
		);
	},
	noteAffected(rows, into) {
		for (const x of rows) into.refs.add(x.ref);
	}
});

// ── carrier ─────────────────────────────────────────────────────────────────────────────────────────────

export interface PhoneRecord {
	phoneHmac: string;
	ref: string;
}

export const phonesKind = define<PhoneRecord>({
	name: 'phones',
	source: 'carrier',
	fields: KIND_FIELDS.phones,
	required: ['phone', 'idNumber'],
	read(r) {
		const phoneHmac = r.phone('phone');
		const ref = r.ref('idNumber');
		return () => ({ phoneHmac: phoneHmac!, ref: ref! });
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('phone_registry')
				.values(b.map((x) => ({ phone_hmac: x.phoneHmac, id_hmac: x.ref, updated_at: now })))
				.onConflict((oc) =>
					oc.column('phone_hmac').doUpdateSet((eb) => ({ id_hmac: eb.ref('excluded.id_hmac'), updated_at: eb.ref('excluded.updated_at') }))
				)
				.execute()
		);
	},
	noteAffected(rows, into) {
		// the previous owner of a re-registered phone is affected too: its points are no longer theirs
		for (const x of rows) {
			into.refs.add(x.ref);
			into.phones.add(x.phoneHmac);
		}
	}
});

/**
 * The cell table learned from points that name their serving cell (migration 008): position as reported, radius
 * the smallest one reported. Used by the precise companion rule (src/lib/core/rules/serving-cells.ts).
 */
export async function upsertCellSites(
	tx: Transaction<Database>,
	rows: readonly { cell: string | null; lat: number; lon: number; accuracyM: number }[]
): Promise<void> {
	const cells = new Map<string, { cell: string; lat: number; lon: number; radius_m: number }>();
	for (const x of rows) {
		if (x.cell === null) continue;
		const cur = cells.get(x.cell);
		if (!cur) cells.set(x.cell, { cell: x.cell, lat: x.lat, lon: x.lon, radius_m: x.accuracyM });
		else if (x.accuracyM < cur.radius_m) cur.radius_m = x.accuracyM;
	}
	await inBatches([...cells.values()], (b) =>
		tx
			.insertInto('cell_sites')
			.values(b)
			.onConflict((oc) =>
				oc.column('cell').doUpdateSet((eb) => ({
					lat: eb.ref('excluded.lat'),
					lon: eb.ref('excluded.lon'),
					// LEAST in PostgreSQL, min(a, b) in SQLite: a CASE works in both
					radius_m: sql<number>`CASE WHEN excluded.radius_m < cell_sites.radius_m THEN excluded.radius_m ELSE cell_sites.radius_m END`
				}))
			)
			.execute()
	);
}

export interface TrajectoryRecord {
	phoneHmac: string;
	at: number;
	lat: number;
	lon: number;
	cell: string | null;
	accuracyM: number;
}

export const trajectoryKind = define<TrajectoryRecord>({
	name: 'trajectory',
	source: 'carrier',
	fields: KIND_FIELDS.trajectory,
	required: ['phone', 'at', 'lat', 'lon', 'accuracyM'],
	read(r) {
		const phoneHmac = r.phone('phone');
		const at = r.time('at');
		const lat = r.number('lat', -90, 90);
		const lon = r.number('lon', -180, 180);
		const cell = r.string('cell', 40, true);
		const accuracyM = r.number('accuracyM', 0, MAX_ACCURACY_M);
		return () => ({ phoneHmac: phoneHmac!, at: at!, lat: lat!, lon: lon!, cell: cell ?? null, accuracyM: accuracyM! });
	},
	async write(tx, rows) {
		await inBatches(rows, (b) =>
			tx
				.insertInto('trajectory_points')
				.values(
					b.map((x) => ({
						phone_hmac: x.phoneHmac,
						at: x.at,
						lat: x.lat,
						lon: x.lon,
						cell: x.cell,
						accuracy_m: x.accuracyM,
						grid: gridOf(x.lat, x.lon)
					}))
				)
				.execute()
		);
		await upsertCellSites(tx, rows);
	},
	noteAffected(rows, into) {
		for (const x of rows) into.phones.add(x.phoneHmac);
	}
});

// ── risk areas (the authority) ──────────────────────────────────────────────────────────────────────────

export type RiskShape = { type: 'polygon'; ring: [number, number][] } | { type: 'cells'; cells: string[] };

export interface StoredRiskArea {
	id: string;
	name: string;
	level: RiskLevel;
	shape: RiskShape;
	bbox: BBox;
	from: number;
	until: number | null;
}

export const MAX_RING_POINTS = 1000;

/** A ring of [lon, lat] pairs (JSON text or an array): ≥ 3 distinct points, closed or not. */
export function parseRing(value: unknown): { ok: true; ring: [number, number][] } | { ok: false; en: string; zh: string } {
	let v = value;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			return { ok: false, en: 'polygon must be JSON [[lon, lat], ...]', zh: '多边形须为 JSON [[经度, 纬度], ...]' };
		}
	}
	if (!Array.isArray(v) || v.length < 3 || v.length > MAX_RING_POINTS)
		return { ok: false, en: `polygon needs 3 to ${MAX_RING_POINTS} [lon, lat] points`, zh: `多边形须有 3 到 ${MAX_RING_POINTS} 个点` };
	const ring: [number, number][] = [];
	for (const p of v) {
		if (
			!Array.isArray(p) ||
			p.length !== 2 ||
			typeof p[0] !== 'number' ||
			typeof p[1] !== 'number' ||
			!(Math.abs(p[0]) <= 180) ||
			!(Math.abs(p[1]) <= 90)
		) {
			return { ok: false, en: 'each point is [lon, lat] in degrees (lon −180…180, lat −90…90)', zh: '每个点须为 [经度, 纬度]' };
		}
		ring.push([p[0], p[1]]);
	}
	if (new Set(ring.map((p) => p.join(','))).size < 3)
		return { ok: false, en: 'polygon needs 3 distinct points', zh: '多边形须有 3 个不同的点' };
	return { ok: true, ring };
}

export const riskAreasKind = define<StoredRiskArea>({
	name: 'risk-areas',
	source: 'health',
	fields: KIND_FIELDS['risk-areas'],
	required: ['name', 'level', 'polygon', 'from'],
	read(r) {
		const name = r.string('name', 100);
		const level = r.oneOf('level', ['high', 'medium'] as const, { 高: 'high', 高风险: 'high', 中: 'medium', 中风险: 'medium' });
		let ring: [number, number][] | undefined;
		if (!r.present('polygon')) r.issues.push({ field: 'polygon', code: 'field/required', en: 'required', zh: '必填' });
		else {
			const p = parseRing(r.raw.polygon);
			if (p.ok) ring = p.ring;
			else r.issues.push({ field: 'polygon', code: 'polygon/invalid', en: p.en, zh: p.zh });
		}
		const from = r.time('from', false, true);
		const until = r.time('until', true, true);
		if (from !== undefined && until !== undefined && until <= from)
			r.issues.push({ field: 'until', code: 'time/order', en: 'must be after from', zh: '须晚于开始时间' });
		return () => ({
			id: factId('area', name!, from!),
			name: name!,
			level: level!,
			shape: { type: 'polygon', ring: ring! },
			bbox: bboxOf(ring!),
			from: from!,
			until: until ?? null
		});
	},
	async write(tx, rows, now) {
		await inBatches(rows, (b) => insertRiskAreas(tx, b, now, 'import'));
	},
	noteAffected(rows, into) {
		into.riskAreas.push(...rows);
	}
});

export async function insertRiskAreas(
	tx: Transaction<Database>,
	rows: readonly StoredRiskArea[],
	nowMs: number,
	actor: string
): Promise<void> {
	await tx
		.insertInto('risk_areas')
		.values(
			rows.map((x) => ({
				id: x.id,
				name: x.name,
				level: x.level,
				shape_json: JSON.stringify(x.shape),
				bbox_west: x.bbox.west,
				bbox_south: x.bbox.south,
				bbox_east: x.bbox.east,
				bbox_north: x.bbox.north,
				from_at: x.from,
				until_at: x.until,
				created_at: nowMs,
				created_by: actor
			}))
		)
		.onConflict((oc) =>
			oc.column('id').doUpdateSet((eb) => ({
				level: eb.ref('excluded.level'),
				shape_json: eb.ref('excluded.shape_json'),
				until_at: eb.ref('excluded.until_at')
			}))
		)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KINDS: Readonly<Record<KindName, RecordKind<any>>> = {
	tests: testsKind,
	cases: casesKind,
	quarantine: quarantineKind,
	register: registerKind,
	relations: relationsKind,
	phones: phonesKind,
	trajectory: trajectoryKind,
	'risk-areas': riskAreasKind
};
