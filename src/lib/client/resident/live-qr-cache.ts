/**
 * The live code for a 30 s step: signed with the device key, then given a mask that renderReadableQr proved
 * html5-qrcode reads. The readability check costs most of the time to first QR (tens of ms on a quiet phone,
 * about a second on a loaded 2-core box), so each step's result is kept in IndexedDB and the next step is
 * prepared in the background after the QR is on screen. A reopened app then rebuilds the proven matrix from
 * (text, mask) with no check. All on the device; no server call.
 */
import { fromBase64Url } from '$lib/core/bytes';
import { codeText } from '$lib/core/code-text';
import { encodeLiveCode } from '$lib/core/live-proof';
import { qrMatrix, type MaskPattern, type QrMatrix } from '$lib/qr/matrix';
import { renderReadableQr } from '$lib/qr/render-readable';
import { residentDb } from './db';
import { deviceKey } from './device-key';

export interface LiveQr {
	text: string;
	matrix: QrMatrix;
	cached: boolean;
}

async function prepare(credential: string, step: number): Promise<{ text: string; matrix: QrMatrix }> {
	const bytes = fromBase64Url(credential);
	if (!bytes) throw new Error('stored credential is not base64url');
	const key = await deviceKey();
	const text = codeText(await encodeLiveCode(bytes, step, key.sign));
	const readable = renderReadableQr(text);
	await residentDb().liveQr.put({ step, credential, text, maskPattern: readable.maskPattern });
	return { text, matrix: readable.matrix };
}

/** The live QR for `step`, from the cache when this step was prepared for this credential. */
export async function liveQrFor(credential: string, step: number): Promise<LiveQr> {
	const hit = await residentDb().liveQr.get(step);
	if (hit && hit.credential === credential) {
		return { text: hit.text, matrix: qrMatrix(hit.text, { ecc: 'M', maskPattern: hit.maskPattern as MaskPattern }), cached: true };
	}
	return { ...(await prepare(credential, step)), cached: false };
}

/** After display: prepare the next step and drop past ones (failures only cost the next draw its cache). */
export async function prepareNext(credential: string, step: number): Promise<void> {
	try {
		const db = residentDb();
		await db.liveQr.where('step').below(step).delete();
		const next = await db.liveQr.get(step + 1);
		if (!next || next.credential !== credential) await prepare(credential, step + 1);
	} catch (error) {
		console.warn('live QR pre-computation', error);
	}
}
