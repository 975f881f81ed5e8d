/**
 * The console's calls to the staff API (src/routes/api/v1/console): the resident app's JSON helper (same-origin
 * fetch, so the server's Origin / Sec-Fetch-Site check passes; problem+json → ApiProblem), plus the file upload,
 * which uses XMLHttpRequest because fetch cannot report upload progress.
 */
import type { Locale } from '$lib/i18n/i18n.svelte';
import { api, type ApiProblem, type ApiResult } from '$lib/client/resident/api';

export { api, type ApiProblem, type ApiResult };

/** Problems may carry `detail` (e.g. "120 bad row(s), first 100 listed"); the resident helper keeps it at run time. */
export type ConsoleProblem = ApiProblem & { detail?: string };

export function problemDetail(problem: ApiProblem): string | undefined {
	const d = (problem as ConsoleProblem).detail;
	return typeof d === 'string' && d ? d : undefined;
}

export interface Recoloured {
	evaluated: number;
	changed: number;
	transitions: Record<string, number>;
}

/**
 * The problem's title in one language. Server titles are "English / 中文" (src/lib/server/http), so the half
 * for the reader is shown; a title without the separator is shown whole.
 */
export function localTitle(problem: ApiProblem, lng: Locale): string {
	const i = problem.title.lastIndexOf(' / ');
	if (i < 0) return problem.title;
	return lng === 'en' ? problem.title.slice(0, i) : problem.title.slice(i + 3);
}

export type UploadPhase = { phase: 'uploading'; percent: number } | { phase: 'processing' };

/** POST a file as the request body; progress while the bytes go up, then "processing" until the answer. */
export function uploadFile<T>(url: string, file: Blob, contentType: string, onPhase: (p: UploadPhase) => void): Promise<ApiResult<T>> {
	return new Promise((resolve) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.setRequestHeader('content-type', contentType);
		xhr.upload.onprogress = (e) =>
			onPhase({ phase: 'uploading', percent: e.lengthComputable && e.total > 0 ? Math.floor((e.loaded / e.total) * 100) : 0 });
		xhr.upload.onload = () => onPhase({ phase: 'processing' });
		xhr.onerror = () =>
			resolve({ ok: false, problem: { status: 0, code: 'network/unavailable', title: 'network unavailable', errors: [] } });
		xhr.onload = () => {
			let body: unknown;
			try {
				body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
			} catch {
				body = null; // not JSON (a proxy's error page): keep the status
			}
			if (xhr.status >= 200 && xhr.status < 300) {
				resolve({ ok: true, status: xhr.status, data: body as T, headers: new Headers() });
				return;
			}
			const p = (body ?? {}) as Partial<ConsoleProblem>;
			const problem: ConsoleProblem = {
				status: xhr.status,
				code: p.code ?? `http/${xhr.status}`,
				title: p.title ?? xhr.statusText,
				errors: Array.isArray(p.errors) ? p.errors : []
			};
			if (typeof p.detail === 'string') problem.detail = p.detail;
			resolve({ ok: false, problem });
		};
		onPhase({ phase: 'uploading', percent: 0 });
		xhr.send(file);
	});
}
