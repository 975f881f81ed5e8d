/**
 * The console's calls to the staff API (src/routes/api/v1/console): the resident app's JSON helper (same-origin
 * fetch, so the server's Origin / Sec-Fetch-Site check passes; problem+json → ApiProblem), plus the file upload,
 * which uses XMLHttpRequest because fetch cannot report upload progress. Pages word problems by code with
 * errorMessage (src/lib/i18n/error-message.ts), in the reader's language.
 */
import { CLIENT_VERSION_HEADER, CONTRACT_VERSION } from '$lib/core/contract/client-version';
import { api, NETWORK_PROBLEM, toProblem, type ApiProblem, type ApiResult } from '$lib/client/resident/api';

export { api, type ApiProblem, type ApiResult };

/** The recolouring summary staff endpoints answer with: core/contract/shared.ts. */
export type { Recoloured } from '$lib/core/contract/shared';

export type UploadPhase = { phase: 'uploading'; percent: number } | { phase: 'processing' };

/** POST a file as the request body; progress while the bytes go up, then "processing" until the answer. */
export function uploadFile<T>(url: string, file: Blob, contentType: string, onPhase: (p: UploadPhase) => void): Promise<ApiResult<T>> {
	return new Promise((resolve) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.setRequestHeader('content-type', contentType);
		xhr.setRequestHeader(CLIENT_VERSION_HEADER, String(CONTRACT_VERSION));
		xhr.upload.onprogress = (e) =>
			onPhase({ phase: 'uploading', percent: e.lengthComputable && e.total > 0 ? Math.floor((e.loaded / e.total) * 100) : 0 });
		xhr.upload.onload = () => onPhase({ phase: 'processing' });
		xhr.onerror = () => resolve({ ok: false, problem: NETWORK_PROBLEM });
		xhr.onload = () => {
			let body: unknown = null;
			let readable = true;
			try {
				body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
			} catch {
				readable = false; // not JSON (a proxy's error page): network/bad-response, never the parser's message
			}
			if (xhr.status >= 200 && xhr.status < 300) {
				resolve(
					readable
						? { ok: true, status: xhr.status, data: body as T, headers: new Headers() }
						: { ok: false, problem: toProblem(xhr.status, null) }
				);
				return;
			}
			resolve({ ok: false, problem: toProblem(xhr.status, body) });
		};
		onPhase({ phase: 'uploading', percent: 0 });
		xhr.send(file);
	});
}
