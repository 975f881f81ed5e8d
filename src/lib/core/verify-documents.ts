/**
 * verifyCode for callers that hold the signed documents rather than opened lists: the CLI, the test
 * vectors, a server-side check. Opens (and signature-checks) the trust and status lists, then verifies.
 * Scanners open their lists once at update time and call verifyCode directly.
 */
import type { Ed25519Backend } from './ed25519/ed25519.js';
import { openStatusList, type StatusList } from './status-list.js';
import { openTrustList } from './trust-list.js';
import { verdictFor, type Verdict } from './verdict.js';
import { verifyCode, type VerifyPolicy } from './verify-code.js';

export interface SignedDocuments {
	trustList?: Uint8Array;
	statusLists?: Uint8Array[];
	rootPublicKey: Uint8Array;
	/** Newest trust-list version this verifier has already accepted (rollback guard). */
	minTrustListVersion?: number;
	now: number;
	/** See VerifyContext.timeFloor. */
	timeFloor?: number;
	backend: Ed25519Backend;
	policy?: VerifyPolicy;
}

export async function verifyCodeWithDocuments(text: unknown, docs: SignedDocuments): Promise<Verdict> {
	if (!docs.trustList) return verifyCode(text, { trustList: null, now: docs.now, backend: docs.backend });
	const opened = await openTrustList(docs.trustList, {
		rootPublicKey: docs.rootPublicKey,
		backend: docs.backend,
		...(docs.minTrustListVersion === undefined ? {} : { minVersion: docs.minTrustListVersion })
	});
	if (!opened.ok) return verdictFor(opened.reason, { detail: opened.detail });
	const statusLists: StatusList[] = [];
	for (const bytes of docs.statusLists ?? []) {
		const s = await openStatusList(bytes, { trustList: opened.list, backend: docs.backend });
		if (!s.ok) return verdictFor('status-list-invalid', { detail: s.detail });
		statusLists.push(s.list);
	}
	return verifyCode(text, {
		trustList: opened.list,
		statusLists,
		now: docs.now,
		...(docs.timeFloor === undefined ? {} : { timeFloor: docs.timeFloor }),
		backend: docs.backend,
		...(docs.policy ? { policy: docs.policy } : {})
	});
}
