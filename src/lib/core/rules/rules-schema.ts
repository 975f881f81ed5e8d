/**
 * The rule-set document: versioned data (JSON) that says which colour rules are active, their thresholds,
 * and what brings a person back to green. validateRules never throws; it reports every failing field (one
 * error per field, the first check it fails) with a stable code and a dotted path, in the style of
 * ../declaration/schema.ts. The semantics of each field are in docs/rules.md; defaults in ./default-rules.ts.
 */
import * as v from 'valibot';
import type { FieldError, LocalisedText } from '../problem.js';

export const RULES_FORMAT = 'tongxing-rules/1';

/** N negative tests, sampled at or after the event, each ≥ apartHours after the previous, all within withinDays. */
export interface TestRequirement {
	readonly count: number;
	readonly apartHours: number;
	readonly withinDays: number;
}

/** A rule without thresholds of its own: confirmed case (red until released), quarantine order (while in force). */
export interface StateRule {
	readonly active: boolean;
	readonly colour: 'red' | 'yellow';
}

/** A rule triggered by an event at a time (an exposure, a stay, a test, a declaration). */
export interface EventRule extends StateRule {
	/** The event counts while it is at most this many days old (inclusive); null: until cleared. */
	readonly lookbackDays: number | null;
	/** The colour is held at least until event + holdDays (exclusive end). */
	readonly holdDays: number;
	/** Negative tests sampled at or after the event that clear it; null: none needed. */
	readonly tests: TestRequirement | null;
}

export interface RiskAreaRule extends EventRule {
	/** Minimum time inside the area (minutes, inclusive); 0: any recorded presence. */
	readonly minDwellMinutes: number;
	/**
	 * A point places the person in an area only when its disk of radius accuracyFactor × its accuracy radius
	 * lies inside the area (boundary inclusive); 0: the centre alone decides. Absent in a stored document: 0,
	 * what rule sets meant before the field existed (docs/rules.md, "Risk areas").
	 */
	readonly accuracyFactor: number;
	/** Points with an accuracy radius above this (metres) never place a person in an area; null (also when absent): no limit. */
	readonly maxAccuracyM: number | null;
}

export interface GridMethod {
	/** Cell edge in metres (the publicised baseline: 800). */
	readonly cellSizeM: number;
	/** Co-presence in the same cell must be MORE than this many minutes (exclusive). */
	readonly minOverlapMinutes: number;
}

export interface PreciseMethod {
	/** Two points match when max(0, d − accuracyFactor·(r1 + r2)) ≤ distanceM. */
	readonly distanceM: number;
	/** Co-presence must be at least this many minutes (inclusive). */
	readonly minDwellMinutes: number;
	readonly accuracyFactor: number;
	/** Points with an accuracy radius up to this are fixes, matched by distance; larger ones are cell-based. */
	readonly maxAccuracyM: number;
	/**
	 * Weight (0–1) of co-presence known only to one cell: two cell-based points of the same cell, or a fix in
	 * a cell that could have served it (./serving-cells.ts). 0: cell-based points are not used (rules
	 * documents from before this field get 0 — the behaviour they were saved with).
	 */
	readonly coarseWeight: number;
	/** k in "d ≤ d(nearest cell) + k·accuracy" (./serving-cells.ts) */
	readonly cellToleranceFactor: number;
	/** a cell-based point takes a fix's position when the fix is this close in time (./refine-cell-segments.ts); 0: off */
	readonly refineMinutes: number;
	/**
	 * A cell-based point left without a fix of the same stay takes the person's habitual place in that cell
	 * when their fixes in the cell lie within this many metres of one place (./habitual-places.ts); 0: off
	 * (rules documents from before this field get 0).
	 */
	readonly habitualSpreadM: number;
	/**
	 * Guard scans as evidence (./scan-stays.ts): a scan puts the person inside its venue for this many minutes
	 * (or until their next scan); overlapping stays at the same venue are exact co-presence with a case, and cell-only
	 * time when the two were scanned into different venues does not count. 0: scans are not used (rules documents
	 * from before this field get 0).
	 */
	readonly scanStayMinutes?: number;
}

/** The companion and co-visit rules read a case's trajectory and visits only inside its infectious window. */
export interface InfectiousWindowed {
	/**
	 * Days before onset (else the first positive sample, else confirmation) from which a case's points and visits
	 * count, up to isolation or confirmation (./infectious-window.ts); null (also when absent, as in documents
	 * saved before the field): every loaded point counts.
	 */
	readonly infectiousLookbackDays: number | null;
}

export interface CompanionRule extends EventRule, InfectiousWindowed {
	readonly method: 'grid' | 'precise';
	readonly grid: GridMethod;
	readonly precise: PreciseMethod;
}

export interface VenueRule extends EventRule, InfectiousWindowed {
	/** A visit matches a case's visit to the same venue at most this many minutes before or after (inclusive). */
	readonly windowMinutes: number;
}

export interface FeverRule extends EventRule {
	/** Declared temperature at or above this (°C) is a fever. */
	readonly thresholdC: number;
}

export interface RuleSet {
	readonly format: typeof RULES_FORMAT;
	/** Free-form version label, recorded with every colour it decides ("2026-11-29.1"). */
	readonly version: string;
	/** Unix seconds from which this set applies. */
	readonly effectiveFrom: number;
	readonly trajectory: {
		/** A trajectory point stands for presence until the next point, at most this many minutes. */
		readonly maxPointGapMinutes: number;
	};
	readonly rules: {
		readonly 'confirmed-case': StateRule;
		readonly 'positive-test': EventRule;
		readonly 'quarantine-order': StateRule;
		readonly 'close-contact': EventRule;
		readonly 'secondary-contact': EventRule;
		readonly 'high-risk-area-stay': RiskAreaRule;
		readonly 'medium-risk-area-stay': RiskAreaRule;
		readonly 'spatiotemporal-companion': CompanionRule;
		readonly 'venue-co-visit': VenueRule;
		readonly 'fever-declared': FeverRule;
		readonly 'symptoms-declared': EventRule;
	};
}

export type RuleName = keyof RuleSet['rules'];

const m = (zh: string, en: string): LocalisedText => ({ 'zh-CN': zh, en });

/** Every code validateRules can return. The path says which field. */
export const RULES_ERRORS = {
	'rules/type': m('类型错误', 'Wrong type'),
	'rules/required': m('缺少此项', 'This field is required'),
	'rules/unknown-field': m('不支持此字段', 'This field is not accepted'),
	'rules/format': m(`格式标识须为 "${RULES_FORMAT}"`, `The format must be "${RULES_FORMAT}"`),
	'rules/version': m('版本须为 1–64 个字母、数字或 . _ -', 'The version must be 1 to 64 letters, digits, dots, underscores or hyphens'),
	'rules/integer': m('须为整数', 'Must be a whole number'),
	'rules/range': m('数值超出允许范围', 'The number is out of range'),
	'rules/colour': m('颜色须为 red 或 yellow', 'The colour must be red or yellow'),
	'rules/method': m('时空伴随规则须为 grid 或 precise', 'The method must be grid or precise'),
	'rules/tests-unsatisfiable': m(
		'检测次数、间隔与期限相互矛盾，无法满足',
		'No tests can satisfy this: count, spacing and window contradict each other'
	),
	'rules/invalid-value': m('此项无效', 'This value is not valid')
} as const satisfies Record<string, LocalisedText>;

export type RulesErrorCode = keyof typeof RULES_ERRORS;

export interface RulesError {
	/** Dotted path into the document, e.g. `rules.close-contact.tests.count`; '' for the document. */
	readonly path: string;
	readonly code: RulesErrorCode;
	readonly message: LocalisedText;
	/** `rules/range`: the allowed range (inclusive) */
	readonly min?: number;
	readonly max?: number;
}

export type RulesResult = { ok: true; rules: RuleSet } | { ok: false; errors: RulesError[] };

const isCode = (s: string): s is RulesErrorCode => Object.prototype.hasOwnProperty.call(RULES_ERRORS, s);

function isPlainObject(x: unknown): x is Record<string, unknown> {
	if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
	const proto: unknown = Object.getPrototypeOf(x);
	return proto === Object.prototype || proto === null;
}

const typeMessage = (issue: { input: unknown }): string => (issue.input === undefined ? 'rules/required' : 'rules/type');
const unknownField = v.never('rules/unknown-field');
/** An object schema's own issues (after the plain-object check) are missing keys. */
const obj = <T extends v.ObjectEntries>(entries: T) =>
	v.pipe(v.custom<Record<string, unknown>>(isPlainObject, typeMessage), v.objectWithRest(entries, unknownField, 'rules/required'));

/** The range a `rules/range` issue carries in its message (`rules/range|min|max`), so the error can name it. */
const RANGE_MESSAGE = /^rules\/range\|(-?[\d.e+]+)\|(-?[\d.e+]+)$/;

const num = (min: number, max: number, integer = false) =>
	v.pipe(
		v.number(typeMessage),
		v.check((n) => Number.isFinite(n), 'rules/type'),
		v.check((n) => !integer || Number.isInteger(n), 'rules/integer'),
		v.check((n) => n >= min && n <= max, `rules/range|${min}|${max}`)
	);

const active = v.boolean(typeMessage);
const colour = v.picklist(['red', 'yellow'], (i) => (i.input === undefined ? 'rules/required' : 'rules/colour'));
const days = num(0, 365);

const tests = v.pipe(
	v.nullable(
		obj({
			count: num(1, 20, true),
			apartHours: num(0, 24 * 30),
			withinDays: num(0, 365)
		})
	),
	v.rawCheck(({ dataset, addIssue }) => {
		if (dataset.issues || dataset.value === null) return;
		const t = dataset.value as TestRequirement;
		// count tests at apartHours spacing need (count − 1)·apartHours ≤ withinDays·24
		if ((t.count - 1) * t.apartHours > t.withinDays * 24) addIssue({ message: 'rules/tests-unsatisfiable' });
	})
);

const eventEntries = {
	active,
	colour,
	lookbackDays: v.nullable(days),
	holdDays: days,
	tests
};
const stateRule = obj({ active, colour });
/**
 * The risk-area rules. The geometry fields came later in format tongxing-rules/1: a stored document without
 * them still validates and gets the behaviour it was saved with (centre only, no radius limit).
 */
const riskAreaRule = obj({
	...eventEntries,
	minDwellMinutes: num(0, 24 * 60),
	accuracyFactor: v.optional(num(0, 3), 0),
	maxAccuracyM: v.optional(v.nullable(num(0, 100_000)), null)
});
const eventRule = obj(eventEntries);
/** added after rules documents were first saved: absent means the old behaviour (every loaded case point counts) */
const infectiousLookbackDays = v.optional(v.nullable(num(0, 30)), null);

/** The valibot schema of a rule-set document. Issue messages are RulesErrorCodes. */
export const ruleSetSchema = obj({
	format: v.pipe(
		v.string(typeMessage),
		v.check((s) => s === RULES_FORMAT, 'rules/format')
	),
	version: v.pipe(v.string(typeMessage), v.regex(/^[A-Za-z0-9._-]{1,64}$/, 'rules/version')),
	effectiveFrom: num(0, 2 ** 40, true),
	trajectory: obj({ maxPointGapMinutes: num(1, 24 * 60) }),
	rules: obj({
		'confirmed-case': stateRule,
		'positive-test': eventRule,
		'quarantine-order': stateRule,
		'close-contact': eventRule,
		'secondary-contact': eventRule,
		'high-risk-area-stay': riskAreaRule,
		'medium-risk-area-stay': riskAreaRule,
		'spatiotemporal-companion': obj({
			...eventEntries,
			infectiousLookbackDays,
			method: v.picklist(['grid', 'precise'], (i) => (i.input === undefined ? 'rules/required' : 'rules/method')),
			grid: obj({ cellSizeM: num(50, 5000, true), minOverlapMinutes: num(0, 24 * 60) }),
			precise: obj({
				distanceM: num(0, 5000),
				minDwellMinutes: num(1, 24 * 60),
				accuracyFactor: num(0, 1),
				maxAccuracyM: num(0, 100_000),
				// added after rules documents were first saved: absent means the old behaviour (no cell matching)
				coarseWeight: v.optional(num(0, 1), 0),
				cellToleranceFactor: v.optional(num(0, 10), 1),
				refineMinutes: v.optional(num(0, 24 * 60), 0),
				habitualSpreadM: v.optional(num(0, 1000), 0),
				scanStayMinutes: v.optional(num(0, 24 * 60), 0)
			})
		}),
		'venue-co-visit': obj({ ...eventEntries, infectiousLookbackDays, windowMinutes: num(0, 24 * 60) }),
		'fever-declared': obj({ ...eventEntries, thresholdC: num(35, 42) }),
		'symptoms-declared': eventRule
	})
});

/** JSON.parse makes own `__proto__` keys that valibot does not look at: they are unknown fields too. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];
function reservedKeyErrors(input: unknown, prefix: string, out: RulesError[], depth = 0): void {
	if (!isPlainObject(input) || depth > 4) return;
	for (const key of Object.keys(input)) {
		const path = prefix === '' ? key : `${prefix}.${key}`;
		if (RESERVED_KEYS.includes(key)) out.push(rulesError(path, 'rules/unknown-field'));
		else reservedKeyErrors(input[key], path, out, depth + 1);
	}
	for (const key of RESERVED_KEYS) {
		if (Object.prototype.hasOwnProperty.call(input, key) && !Object.keys(input).includes(key)) {
			out.push(rulesError(prefix === '' ? key : `${prefix}.${key}`, 'rules/unknown-field'));
		}
	}
}

export function rulesError(path: string, code: RulesErrorCode): RulesError {
	return { path, code, message: RULES_ERRORS[code] };
}

/**
 * An out-of-range value's error names the allowed range (the console's rules form and preview show it as is):
 * "须在 0 到 365 之间" / "Must be between 0 and 365".
 */
export function rangeError(path: string, min: number, max: number): RulesError {
	const lo = min.toLocaleString('en', { useGrouping: false, maximumFractionDigits: 6 });
	const hi = max.toLocaleString('en', { useGrouping: false, maximumFractionDigits: 6 });
	return {
		path,
		code: 'rules/range',
		min,
		max,
		message: m(`数值超出允许范围：须在 ${lo} 到 ${hi} 之间`, `Out of range: must be between ${lo} and ${hi}`)
	};
}

/** For problem+json (../problem.ts validationProblem): `path` becomes `field`. */
export function rulesErrorsToFieldErrors(errors: readonly RulesError[]): FieldError[] {
	return errors.map((e) => ({ field: e.path, code: e.code, message: e.message }));
}

/** Validates a rule-set document (parsed JSON). Never throws. Errors come in document order, one per path. */
export function validateRules(input: unknown): RulesResult {
	const result = v.safeParse(ruleSetSchema, input);
	const extra: RulesError[] = [];
	reservedKeyErrors(input, '', extra);
	if (result.success && extra.length === 0) {
		const rules: RuleSet = { ...result.output, format: RULES_FORMAT };
		return { ok: true, rules };
	}
	const seen = new Set<string>();
	const errors: RulesError[] = [];
	for (const issue of result.issues ?? []) {
		const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
		if (seen.has(path)) continue;
		seen.add(path);
		const range = RANGE_MESSAGE.exec(issue.message);
		if (range) errors.push(rangeError(path, Number(range[1]), Number(range[2])));
		else errors.push(rulesError(path, isCode(issue.message) ? issue.message : 'rules/invalid-value'));
	}
	for (const e of extra) if (!seen.has(e.path)) errors.push(e);
	return { ok: false, errors };
}
