/**
 * The scanner's refresh from a national trust bundle (docs/code-format.md §10, docs/federation.md): one request
 * to its own region server's mirror (/.well-known/tongxing/trust-bundle) with the versions it holds per region,
 * answered with only what changed. The device merges the answer with the documents it holds and opens everything
 * again against the pinned root: a key is trusted only through root → region certificate → region key list.
 * Per region, an older key list than the one held (rollback) is refused and the newer one kept; a status delta
 * that does not continue the seq held drops that region's list so the next refresh fetches it in full.
 */
import { ProblemError, problemFromResponse } from '$lib/core/contract/error-problem';
import type { Ed25519Backend } from '$lib/core/ed25519/ed25519';
import { applyStatusDocument, openStatusDocument, type StatusList } from '$lib/core/status-list';
import { cborDecode } from '$lib/core/cbor';
import { parseCose } from '$lib/core/cose';
import {
	decodeTrustBundle,
	encodeTrustBundle,
	heldVersions,
	mergeTrustBundles,
	openTrustBundle,
	type TrustBundle
} from '$lib/core/federation/trust-bundle';
import { getMeta, setMeta } from './db';
import type { ListsState, Refusal } from './lists';

export const TRUST_BUNDLE_PATH = '/.well-known/tongxing/trust-bundle';

/** Opens the stored bundle (documents only, no status lists) at `nowSec`; null when there is none. */
export async function loadTrustBundle(rootPublicKey: Uint8Array, backend: Ed25519Backend, nowSec: number) {
	const bytes = await getMeta<Uint8Array>('trustBundle');
	if (!bytes) return null;
	const bundle = decodeTrustBundle(bytes);
	if (typeof bundle === 'string') return null;
	const opened = await openTrustBundle(bundle, { rootPublicKey, backend, nowSec });
	return opened.regions.size ? opened.trust : null;
}

function docOrder(bytes: Uint8Array): [number, number] {
	const cose = parseCose(cborDecode(bytes));
	const m = typeof cose === 'string' ? null : cborDecode(cose.payload);
	if (!(m instanceof Map)) return [0, 0];
	const since = m.get('since'),
		seq = m.get('seq');
	return [typeof since === 'number' ? since : 0, typeof seq === 'number' ? seq : 0];
}

/**
 * One bundle refresh. Returns false when this server has no federation (no region in the bundle and none held):
 * the caller then uses the single-region trust list. Network failures throw (the caller retries later).
 */
export async function refreshBundle(
	state: ListsState,
	opts: { rootPublicKey: Uint8Array; backend: Ed25519Backend; now: () => number; fetch: typeof fetch },
	refuse: (r: Refusal) => Promise<void>,
	raiseTimeFloor: (res: Response) => Promise<void>
): Promise<boolean> {
	const federated = state.trustList?.regions !== undefined;
	const have = federated ? state.statusLists.map((s) => `${s.region}:${s.seq}`).join(',') : '';
	const keys = federated ? [...heldVersions(state.trustList!)].map(([r, v]) => `${r}:${v}`).join(',') : '';
	const res = await opts.fetch(`${TRUST_BUNDLE_PATH}?have=${have}&keys=${keys}`, { cache: 'no-store' });
	// a server without federation (older, or no root pinned for a mirror): the single-region lists
	if (!res.ok && !federated) return false;
	if (!res.ok) throw new ProblemError(await problemFromResponse(res));
	await raiseTimeFloor(res);
	const incoming = decodeTrustBundle(new Uint8Array(await res.arrayBuffer()));
	const at = opts.now();
	if (typeof incoming === 'string') {
		await refuse({ list: 'trust', reason: 'trust-list-invalid', detail: incoming, at });
		return federated;
	}
	const heldBytes = await getMeta<Uint8Array>('trustBundle');
	const held = heldBytes ? decodeTrustBundle(heldBytes) : null;
	const merged: TrustBundle =
		held && typeof held !== 'string' ? mergeTrustBundles(held, { ...incoming, statusLists: [] }) : { ...incoming, statusLists: [] };
	const opened = await openTrustBundle(merged, {
		rootPublicKey: opts.rootPublicKey,
		backend: opts.backend,
		nowSec: Math.floor(at / 1000),
		...(federated ? { held: heldVersions(state.trustList!) } : {})
	});
	if (!opened.regions.size) {
		if (!federated) return false; // a single-region server: its mirror is empty
		await refuse({ list: 'trust', reason: 'trust-list-invalid', detail: opened.problems.join('; ') || 'no region', at });
		return true;
	}
	if (opened.rollbacks.length)
		await refuse({
			list: 'trust',
			reason: 'trust-list-rollback',
			detail: `regions ${opened.rollbacks.join(', ')}: older key list refused`,
			at
		});
	else if (opened.problems.length) await refuse({ list: 'trust', reason: 'trust-list-invalid', detail: opened.problems.join('; '), at });
	state.trustList = opened.trust;
	await setMeta('trustBundle', encodeTrustBundle({ ...opened.kept, statusLists: [] }));
	state.trustCheckedAt = at;
	await setMeta('trustCheckedAt', at);

	const next = new Map<string, StatusList>(state.statusLists.map((s) => [s.region, s]));
	const docs = [...incoming.statusLists].sort((a, b) => {
		const [sa, qa] = docOrder(a),
			[sb, qb] = docOrder(b);
		return sa - sb || qa - qb;
	});
	for (const bytes of docs) {
		const doc = await openStatusDocument(bytes, { trustList: opened.trust, backend: opts.backend });
		if (!doc.ok) {
			await refuse({ list: 'status', reason: doc.reason, detail: doc.detail, at });
			continue;
		}
		const region = doc.content.region;
		const current = next.get(region);
		if (current && doc.content.seq === current.seq) {
			if (doc.content.since === 0 && doc.content.issuedAt >= current.issuedAt)
				next.set(region, { ...current, issuedAt: doc.content.issuedAt, maxAge: doc.content.maxAge, revoked: new Set(doc.content.revoked) });
			continue;
		}
		const applied = applyStatusDocument(current, doc.content);
		if (!applied.ok) {
			await refuse({ list: 'status', reason: applied.reason, detail: `${region}: ${applied.detail}`, at });
			// a gap: forget this region's seq so the next refresh asks for its full list
			if (applied.reason === 'status-list-gap') next.delete(region);
			continue;
		}
		next.set(region, applied.list);
	}
	state.statusLists = [...next.values()];
	return true;
}
