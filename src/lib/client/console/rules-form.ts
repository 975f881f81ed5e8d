/**
 * The console's rules form (issue 15: rules were 132 lines of raw JSON): the parameters officers change, each a
 * dotted path into the tongxing-rules/1 document (core/rules/rules-schema.ts). The form reads and writes the same
 * document as the JSON editor: `readPath` / `withPath` on the parsed text, so both always show one rule set.
 */

/** The event rules whose hold and tests the form edits, in the order the table lists them. */
export const FORM_RULES = [
	'positive-test',
	'close-contact',
	'secondary-contact',
	'high-risk-area-stay',
	'medium-risk-area-stay',
	'spatiotemporal-companion',
	'venue-co-visit'
] as const;
export type FormRule = (typeof FORM_RULES)[number];
export const LEVEL_RULES = ['high-risk-area-stay', 'medium-risk-area-stay'] as const;

/** What a rule starts with when an officer asks for tests where it needed none (satisfiable up to 8 tests). */
export const DEFAULT_TESTS = { count: 2, apartHours: 24, withinDays: 7 };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function readPath(doc: unknown, path: string): unknown {
	let o: unknown = doc;
	for (const k of path.split('.')) {
		if (!isObject(o)) return undefined;
		o = o[k];
	}
	return o;
}

/** A copy of `doc` with the value at `path` set (undefined: removed); missing objects on the way are created. */
export function withPath(doc: unknown, path: string, value: unknown): unknown {
	const keys = path.split('.');
	const root: Record<string, unknown> = isObject(doc) ? structuredClone(doc) : {};
	let o = root;
	for (const k of keys.slice(0, -1)) {
		if (!isObject(o[k])) o[k] = {};
		o = o[k] as Record<string, unknown>;
	}
	const last = keys.at(-1)!;
	if (value === undefined) delete o[last];
	else o[last] = value;
	return root;
}

/** A number input's text as the document's value: '' → absent (the validator says it is required), else the number. */
export function numberValue(text: string): number | undefined {
	return text.trim() === '' ? undefined : Number(text);
}

/**
 * The tests count of a rule: '' means no tests needed (tests: null); a number where none were needed starts
 * from DEFAULT_TESTS.
 */
export function withTestsCount(doc: unknown, rule: FormRule, text: string): unknown {
	const path = `rules.${rule}.tests`;
	const n = numberValue(text);
	if (n === undefined) return withPath(doc, path, null);
	const tests = readPath(doc, path);
	return withPath(doc, path, { ...(isObject(tests) ? tests : DEFAULT_TESTS), count: n });
}
