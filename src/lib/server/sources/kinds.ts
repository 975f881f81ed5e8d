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
import type { StoreTx } from '../store/db.js';
import {
	inBatches,
	insertTrajectoryPoints,
	refsWithCases,
	upsertCases,
	upsertCellSites,
	upsertContacts,
	upsertQuarantineOrders,
	upsertTests
} from '../store/facts-import.js';
import { upsertGuardianships, upsertPhones, upsertRegister } from '../store/register.js';
import type { ContactKind, TestResult } from '../store/schema.js';
import { toBase64Url } from '../../core/bytes.js';
import { isRegionCode } from '../../core/declaration/regions.js';
import { validateResidentId } from '../../core/declaration/resident-id.js';
import { CHINA_OFFSET_MINUTES, parseIsoTime } from '../../core/iso-time.js';
import { idErrorText } from '../../core/declaration/declaration-errors.js';
import { normaliseName } from '../../core/declaration/name-phone-address.js';
import { normalisePhone } from '../auth/phone.js';
import { nameHmac } from '../issuer/cross-check.js';
import { idHmac } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';
import { MAX_ACCURACY_M, bboxOf, gridOf } from '../geo/grid.js';
import { KIND_FIELDS, KIND_NAMES, SOURCES, isKindName, type KindName, type Source } from '../../core/contract/import-kinds.js';
import { parseRing } from '../../core/geo-ring.js';
import { routingHash } from '../../core/federation/routing-hash.js';
import { insertRiskAreas, type Affected, type StoredRiskArea } from '../store/risk-areas.js';

// Risk areas' stored shape and writing live in store/risk-areas.ts, the ring parser in core/geo-ring.ts (recolour/
// uses them too and must not import sources/); re-exported for the callers that import them from here.
export { MAX_RING_POINTS, parseRing } from '../../core/geo-ring.js';
export { insertRiskAreas, type Affected, type RiskShape, type StoredRiskArea } from '../store/risk-areas.js';

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
	/**
	 * Federation (docs/federation.md §Facts): the national routing key and this region's code. With it, each record
	 * also carries the routing hash of its person (`route`, `toRoute`), and the writers queue facts about people who
	 * are not this region's residents for their home region (federation/outbox.ts).
	 */
	federation?: { routeKey: Uint8Array; region: string };
}

/** The parse context of a delivery to this region: with the routing key when it is federated (IssuerDeps.nationalIdKey). */
export function parseContextOf(
	deps: { hmacKey: Uint8Array; nationalIdKey?: Uint8Array; config: { region: string } },
	nowMs: number
): ParseContext {
	return deps.nationalIdKey
		? { hmacKey: deps.hmacKey, nowMs, federation: { routeKey: deps.nationalIdKey, region: deps.config.region } }
		: { hmacKey: deps.hmacKey, nowMs };
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
	write(tx: StoreTx, rows: readonly T[], nowMs: number): Promise<void>;
	noteAffected(rows: readonly T[], into: Affected): void;
}

// ── field readers: each returns the value, or records an issue and returns undefined ─────────────────────

/** C0 controls other than tab, line feed and carriage return, and DEL. */
// eslint-disable-next-line no-control-regex -- the point is to find them
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

class Reader {
	readonly issues: FieldIssue[] = [];
	/** field → routing hash of the ID number read from it (federation only) */
	readonly routes = new Map<string, string>();
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
		// no field of ours holds a control character, and PostgreSQL text cannot hold NUL at all (the write failed
		// with the database's own message instead of naming the line); tab and line breaks stay (a quoted JSON cell)
		if (CONTROL_CHARACTER.test(t))
			return this.fail(field, 'text/control', 'contains a control character (e.g. NUL)', '含有控制字符（如空字符）');
		return t;
	}

	ref(field: string): string | undefined {
		const v = this.string(field, 40);
		if (v === undefined) return undefined;
		const id = validateResidentId(v, this.ctx.nowMs);
		if (!id.ok) return this.fail(field, id.code, idErrorText(id.code).en, idErrorText(id.code)['zh-CN']);
		if (this.ctx.federation) this.routes.set(field, routingHash(this.ctx.federation.routeKey, id.value));
		return idHmac(this.ctx.hmacKey, 'resident', id.value);
	}

	/** `{ [as]: routing hash }` of the ID number read from `field`, or nothing (no federation). */
	routed(field: string, as = 'route'): Record<string, string> {
		const route = this.routes.get(field);
		return route === undefined ? {} : { [as]: route };
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
		const ms = parseIsoTime(v, { defaultOffsetMinutes: CHINA_OFFSET_MINUTES });
		if (Number.isNaN(ms))
			return this.fail(
				field,
				'time/format',
				'expected an ISO 8601 time, e.g. 2026-11-20T08:30:00+08:00 (or +0800, +08, Z; no zone: UTC+8)',
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
	/** the routing hash of the person (federation only, ParseContext.federation) */
	route?: string;
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
		return () => ({ id: factId('test', ref!, sampledAt!), ref: ref!, sampledAt: sampledAt!, result: result!, ...r.routed('idNumber') });
	},
	write: (tx, rows, now) => upsertTests(tx, rows, now),
	noteAffected(rows, into) {
		for (const x of rows) into.refs.add(x.ref);
	}
});

export interface CaseRecord {
	id: string;
	ref: string;
	/** set by write: the person had no case before (Affected.newCaseRefs) */
	firstCase?: boolean;
	confirmedAt: number;
	releasedAt: number | null;
	/** symptom onset and isolation, when the investigation reports them (the rules' infectious window) */
	onsetAt: number | null;
	isolatedAt: number | null;
	/** the routing hash of the person (federation only, ParseContext.federation) */
	route?: string;
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
		const onsetAt = r.time('onsetAt', true);
		const isolatedAt = r.time('isolatedAt', true);
		if (confirmedAt !== undefined && releasedAt !== undefined && releasedAt < confirmedAt)
			r.issues.push({ field: 'releasedAt', code: 'time/order', en: 'is before confirmedAt', zh: '早于确诊时间' });
		return () => ({
			id: factId('case', ref!, confirmedAt!),
			ref: ref!,
			confirmedAt: confirmedAt!,
			releasedAt: releasedAt ?? null,
			onsetAt: onsetAt ?? null,
			isolatedAt: isolatedAt ?? null,
			...r.routed('idNumber')
		});
	},
	async write(tx, rows, now) {
		const known = await refsWithCases(
			tx,
			rows.map((x) => x.ref)
		);
		for (const x of rows) x.firstCase = !known.has(x.ref);
		await upsertCases(tx, rows, now);
	},
	noteAffected(rows, into) {
		for (const x of rows) {
			into.refs.add(x.ref);
			into.caseRefs.add(x.ref);
			if (x.firstCase) (into.newCaseRefs ??= new Set()).add(x.ref);
		}
	}
});

export interface QuarantineRecord {
	id: string;
	ref: string;
	from: number;
	until: number;
	/** the routing hash of the person (federation only, ParseContext.federation) */
	route?: string;
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
		return () => ({ id: factId('quarantine', ref!, from!), ref: ref!, from: from!, until: until!, ...r.routed('idNumber') });
	},
	write: (tx, rows, now) => upsertQuarantineOrders(tx, rows, now),
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
	/** the routing hash of the person (federation only, ParseContext.federation) */
	route?: string;
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
		return () => ({
			ref: ref!,
			nameHmac: nameHmac(r.ctx.hmacKey, name!),
			region: region!,
			household: household ?? null,
			...r.routed('idNumber')
		});
	},
	write: (tx, rows, now) => upsertRegister(tx, rows, now),
	noteAffected(rows, into) {
		for (const x of rows) into.refs.add(x.ref);
	}
});

/**
 * Guardianship as the public-security register records it (a minor's parents, a court-appointed guardian): the
 * evidence that lets a guardian link the ward as a family member at once (issuer/member-links.ts). Changes no colour.
 */
export const GUARDIAN_RELATIONS = ['parent', 'legal-guardian'] as const;

export interface GuardianRecord {
	guardianRef: string;
	wardRef: string;
	relation: (typeof GUARDIAN_RELATIONS)[number];
}

export const guardiansKind = define<GuardianRecord>({
	name: 'guardians',
	source: 'public-security',
	fields: KIND_FIELDS.guardians,
	required: ['guardianIdNumber', 'wardIdNumber', 'relation'],
	read(r) {
		const guardianRef = r.ref('guardianIdNumber');
		const wardRef = r.ref('wardIdNumber');
		const relation = r.oneOf('relation', GUARDIAN_RELATIONS, { 父母: 'parent', 监护人: 'legal-guardian' });
		if (guardianRef !== undefined && guardianRef === wardRef)
			r.issues.push({ field: 'wardIdNumber', code: 'guardian/self', en: 'is the guardian themselves', zh: '与监护人相同' });
		return () => ({ guardianRef: guardianRef!, wardRef: wardRef!, relation: relation! });
	},
	write: (tx, rows, now) => upsertGuardianships(tx, rows, now),
	noteAffected() {
		// no colour depends on who is whose guardian
	}
});

export interface RelationRecord {
	id: string;
	ref: string;
	toRef: string;
	kind: ContactKind;
	exposedAt: number;
	/** the routing hash of the person (federation only, ParseContext.federation) */
	route?: string;
	toRoute?: string;
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
		return () => ({
			id: factId('contact', ref!, toRef!, kind!),
			ref: ref!,
			toRef: toRef!,
			kind: kind!,
			exposedAt: exposedAt!,
			...r.routed('idNumber'),
			...r.routed('contactOf', 'toRoute')
		});
	},
	write: (tx, rows, now) => upsertContacts(tx, rows, now),
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
		return () => ({ phoneHmac: phoneHmac!, ref: ref!, ...r.routed('idNumber') });
	},
	write: (tx, rows, now) => upsertPhones(tx, rows, now),
	noteAffected(rows, into) {
		// the previous owner of a re-registered phone is affected too: its points are no longer theirs
		for (const x of rows) {
			into.refs.add(x.ref);
			into.phones.add(x.phoneHmac);
		}
	}
});

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
		await insertTrajectoryPoints(
			tx,
			rows.map((x) => ({ ...x, grid: gridOf(x.lat, x.lon) }))
		);
		await upsertCellSites(tx, rows);
	},
	noteAffected(rows, into) {
		for (const x of rows) into.phones.add(x.phoneHmac);
	}
});

// ── risk areas (the authority) ──────────────────────────────────────────────────────────────────────────

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KINDS: Readonly<Record<KindName, RecordKind<any>>> = {
	tests: testsKind,
	cases: casesKind,
	quarantine: quarantineKind,
	register: registerKind,
	relations: relationsKind,
	guardians: guardiansKind,
	phones: phonesKind,
	trajectory: trajectoryKind,
	'risk-areas': riskAreasKind
};
