/**
 * A refused or failed request as one sentence in the reader's language: `t('errors:<code>', params)` from the
 * `errors` catalogue (locales/errors.ts). Every app renders problems through this one function, so no page
 * shows a server title, a bilingual "English / 中文" text, a raw "Failed to fetch" or a JSON parser's message.
 * A code this build does not know (a newer server) gets the generic message with the HTTP status.
 */
import { isErrorCode, type ErrorParams } from '$lib/core/contract/errors';
import type { MessageKey } from './i18n.svelte';

/** What the message needs of a problem: its code, its HTTP status (0: no answer) and the server's params. */
export interface ProblemLike {
	status: number;
	code: string;
	params?: ErrorParams;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function errorMessage(problem: ProblemLike, translate: Translate): string {
	if (!isErrorCode(problem.code)) return translate('errors:http/unexpected', { status: problem.status });
	return translate(`errors:${problem.code}`, { ...safeParams(problem.params), status: problem.status });
}

/** Only number and short text values: params come from the network and end up inside a sentence. */
function safeParams(params: unknown): Record<string, string | number> {
	const out: Record<string, string | number> = {};
	if (typeof params !== 'object' || params === null) return out;
	for (const [k, v] of Object.entries(params)) {
		if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
		else if (typeof v === 'string' && v.length <= 200) out[k] = v;
	}
	return out;
}
