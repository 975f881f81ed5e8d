/**
 * verifyCode for callers that hold the signed documents rather than opened lists: the CLI, the test
 * vectors, a server-side check. Opens (and signature-checks) the trust and status lists, then verifies.
 * Scanners open their lists once at update time and call verifyCode directly.
 */
import type { Ed25519Backend } from './ed25519/ed25519.js';
import { cborDecode } from './cbor.js';
import { parseCose } from './cose.js';
import { toHex } from './bytes.js';
import { openStatusList, type StatusList } from './status-list.js';
import { openTrustList } from './trust-list.js';
import { decodeTrustBundle, openTrustBundle } from './federation/trust-bundle.js';
import { verdictFor, type Verdict } from './verdict.js';
import { verifyCode, type VerifyPolicy } from './verify-code.js';

export interface SignedDocuments {
	trustList?: Uint8Array;
	/** A national trust bundle (code-format §10) instead of, or as well as, a trust list; its status lists are used too. */
	trustBundle?: Uint8Array;
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
	if (docs.trustBundle) return verifyWithBundle(text, docs, docs.trustBundle);
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

/** The same with a national trust bundle: keys through root → region certificate → region key list. */
async function verifyWithBundle(text: unknown, docs: SignedDocuments, bytes: Uint8Array): Promise<Verdict> {
	const bundle = decodeTrustBundle(bytes);
	if (typeof bundle === 'string') return verdictFor('trust-list-invalid', { detail: bundle });
	const { trust } = await openTrustBundle(bundle, {
		rootPublicKey: docs.rootPublicKey,
		backend: docs.backend,
		nowSec: Math.floor(docs.now / 1000)
	});
	const statusLists: StatusList[] = [];
	for (const doc of [...bundle.statusLists, ...(docs.statusLists ?? [])]) {
		// A region whose keys the bundle refused (certificate expired or revoked) still has its list carried:
		// it cannot be checked, and is no reason to distrust the other regions' lists.
		const cose = parseCose(cborDecode(doc));
		if (typeof cose !== 'string' && !trust.byKid.has(toHex(cose.kid))) continue;
		const s = await openStatusList(doc, { trustList: trust, backend: docs.backend });
		if (!s.ok) return verdictFor('status-list-invalid', { detail: s.detail });
		statusLists.push(s.list);
	}
	return verifyCode(text, {
		trustList: trust,
		statusLists,
		now: docs.now,
		...(docs.timeFloor === undefined ? {} : { timeFloor: docs.timeFloor }),
		backend: docs.backend,
		...(docs.policy ? { policy: docs.policy } : {})
	});
}
