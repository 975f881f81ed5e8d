/**
 * The declaration tests' starting point (pure; used only by tests): a valid declaration at a fixed time, patches of
 * it, and `validate` / `errorsOf`, which remember every error code they see so that schema.test.ts can check that
 * every catalogued code is produced by some test.
 */
import { validateDeclaration, type DeclarationResult } from './schema.js';

/** 2026-06-15 12:00 in China: the travel window is 2026-06-01 … 2026-06-15. */
export const NOW = Date.parse('2026-06-15T04:00:00Z');

export const BASE = {
	name: '张三丰',
	idType: 'resident',
	idNumber: '11010519491231002X',
	phone: '13800138000',
	region: '440305',
	addressDetail: '科技园南区 1 栋 101',
	temperature: 36.5,
	symptoms: ['none'],
	travel: [{ region: '420102', from: '2026-06-03', to: '2026-06-05' }]
};

export const DELETE = Symbol('delete');
export type Patch = Record<string, unknown>;
export function withPatch(patch: Patch, base: Record<string, unknown> = BASE): Record<string, unknown> {
	const out: Record<string, unknown> = { ...base };
	for (const [k, v] of Object.entries(patch)) {
		if (v === DELETE) delete out[k];
		else out[k] = v;
	}
	return out;
}
export const trip = (patch: Patch) => ({ travel: [withPatch(patch, { region: '420102', from: '2026-06-03', to: '2026-06-05' })] });

/** Every code any test saw, for the completeness check at the end. */
export const seen = new Set<string>();
export function validate(input: unknown, now = NOW): DeclarationResult {
	const r = validateDeclaration(input, now);
	if (!r.ok) for (const e of r.errors) seen.add(e.code);
	return r;
}
export const errorsOf = (input: unknown, now = NOW): [string, string][] => {
	const r = validate(input, now);
	return r.ok ? [] : r.errors.map((e) => [e.field, e.code]);
};
