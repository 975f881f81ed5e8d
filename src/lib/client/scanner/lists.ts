/**
 * The trust list and status lists the scanner verifies with, offline. Updates are fetched whenever online;
 * an update is only taken if it verifies: the trust list against the pinned root key with a version that
 * grows (code-format §5), each status list against the trust list with a seq that grows or a delta that
 * continues the one held (§6). A failed, tampered or older update keeps the last good list and is recorded
 * (`lastRefusal`) so the screen can say so.
 */
import { ProblemError, problemFromResponse } from '$lib/core/contract/error-problem';
import { fromBase64Url } from '$lib/core/bytes';
import type { Ed25519Backend } from '$lib/core/ed25519/ed25519';
import { applyStatusDocument, openStatusDocument, type StatusList } from '$lib/core/status-list';
import { openTrustList, shouldReplaceTrustList, type TrustList } from '$lib/core/trust-list';
import { getMeta, setMeta } from './db';
import { loadTrustBundle, refreshBundle } from './bundle-refresh';

export interface StoredStatusList {
	region: string;
	seq: number;
	issuedAt: number;
	maxAge: number;
	revoked: string[];
	fetchedAt: number;
}

export interface Refusal {
	list: 'trust' | 'status';
	reason: string;
	detail: string;
	at: number;
}

export interface ListsState {
	trustList: TrustList | null;
	statusLists: StatusList[];
	/** Device clock (ms) of the last successful check with the server (new list or "not modified"). */
	trustCheckedAt: number | null;
	statusCheckedAt: number | null;
	lastRefusal: Refusal | null;
	/**
	 * The newest time the server has told this device (its `Date` header, Unix ms), only ever raised: a trusted
	 * lower bound for "now" while offline (verifyCode's timeFloor), so a clock set back after a sync cannot make
	 * an expired code pass.
	 */
	timeFloor: number | null;
}

function toStatusList(s: StoredStatusList): StatusList {
	return { region: s.region, seq: s.seq, issuedAt: s.issuedAt, maxAge: s.maxAge, opened: true, revoked: new Set(s.revoked) };
}

/** Loads what is stored. The trust list is re-opened against the root key: storage is not trusted blindly. */
export async function loadLists(rootPublicKey: Uint8Array, backend: Ed25519Backend, nowMs = Date.now()): Promise<ListsState> {
	const bytes = await getMeta<Uint8Array>('trustList');
	// a federated region's scanner holds the national bundle (bundle-refresh.ts), opened again here
	let trustList: TrustList | null = await loadTrustBundle(rootPublicKey, backend, Math.floor(nowMs / 1000));
	if (bytes && !trustList) {
		const opened = await openTrustList(bytes, { rootPublicKey, backend });
		if (opened.ok) trustList = opened.list;
	}
	const stored = (await getMeta<StoredStatusList[]>('statusLists')) ?? [];
	return {
		trustList,
		statusLists: stored.map(toStatusList),
		trustCheckedAt: (await getMeta<number>('trustCheckedAt')) ?? null,
		statusCheckedAt: (await getMeta<number>('statusCheckedAt')) ?? null,
		lastRefusal: (await getMeta<Refusal>('lastRefusal')) ?? null,
		timeFloor: (await getMeta<number>('timeFloor')) ?? null
	};
}

/** Raises the stored time floor to the server's `Date` of `res` (never lowers it: an old cached answer is harmless). */
async function raiseTimeFloor(state: ListsState, res: Response): Promise<void> {
	const date = Date.parse(res.headers.get('date') ?? '');
	if (!Number.isFinite(date) || (state.timeFloor !== null && date <= state.timeFloor)) return;
	state.timeFloor = date;
	await setMeta('timeFloor', date);
}

async function refuse(state: ListsState, r: Refusal): Promise<void> {
	state.lastRefusal = r;
	await setMeta('lastRefusal', r);
}

/**
 * One refresh round: the trust list (ETag), then a status list per region in it (delta since the seq held,
 * full list on a gap). Network failures leave everything as it is and throw (the caller retries later).
 */
export async function refreshLists(
	state: ListsState,
	opts: { rootPublicKey: Uint8Array; backend: Ed25519Backend; now: () => number; fetch?: typeof fetch }
): Promise<ListsState> {
	const f = opts.fetch ?? fetch;
	// Federated region: one bundle for every region's keys and status lists. Single region: the lists below.
	if (
		await refreshBundle(
			state,
			{ ...opts, fetch: f },
			(r) => refuse(state, r),
			(r) => raiseTimeFloor(state, r)
		)
	) {
		await storeStatusLists(state, opts.now());
		state.statusCheckedAt = opts.now();
		await setMeta('statusCheckedAt', state.statusCheckedAt);
		return state;
	}
	const etag = await getMeta<string>('trustListEtag');
	const res = await f('/.well-known/tongxing/trust-list', {
		headers: etag && state.trustList ? { 'if-none-match': etag } : {},
		cache: 'no-store'
	});
	if (res.status === 200 || res.status === 304) await raiseTimeFloor(state, res);
	if (res.status === 200) {
		const bytes = new Uint8Array(await res.arrayBuffer());
		const opened = await openTrustList(bytes, {
			rootPublicKey: opts.rootPublicKey,
			backend: opts.backend,
			...(state.trustList ? { minVersion: state.trustList.version } : {})
		});
		if (!opened.ok) await refuse(state, { list: 'trust', reason: opened.reason, detail: opened.detail, at: opts.now() });
		else {
			if (shouldReplaceTrustList(state.trustList, opened.list)) {
				state.trustList = opened.list;
				await setMeta('trustList', bytes);
			}
			await setMeta('trustListEtag', res.headers.get('etag') ?? '');
			state.trustCheckedAt = opts.now();
			await setMeta('trustCheckedAt', state.trustCheckedAt);
		}
	} else if (res.status === 304) {
		state.trustCheckedAt = opts.now();
		await setMeta('trustCheckedAt', state.trustCheckedAt);
	} else throw new ProblemError(await problemFromResponse(res));

	const trustList = state.trustList;
	if (!trustList) return state;
	const regions = [...new Set(trustList.keys.filter((k) => k.status !== 'compromised').map((k) => k.region))].sort();
	const next = new Map(state.statusLists.map((s) => [s.region, s]));
	for (const region of regions) {
		const current = next.get(region);
		const fetchDoc = async (since?: number) => {
			const r = await f(`/api/v1/status/${region}${since === undefined ? '' : `?since=${since}`}`, { cache: 'no-store' });
			if (!r.ok) throw new ProblemError(await problemFromResponse(r));
			return openStatusDocument(new Uint8Array(await r.arrayBuffer()), { trustList, backend: opts.backend });
		};
		let doc = await fetchDoc(current?.seq);
		if (!doc.ok) {
			await refuse(state, { list: 'status', reason: doc.reason, detail: `${region}: ${doc.detail}`, at: opts.now() });
			continue;
		}
		if (current && doc.content.seq === current.seq) {
			// Nothing revoked since the seq held: the server re-signs the full list with a fresh issuedAt, which is
			// what keeps the list inside its maxAge. Same seq, same content, so take the newer signature time.
			if (doc.content.since === 0 && doc.content.issuedAt >= current.issuedAt) {
				next.set(region, { ...current, issuedAt: doc.content.issuedAt, maxAge: doc.content.maxAge, revoked: new Set(doc.content.revoked) });
			}
			continue;
		}
		let applied = applyStatusDocument(current, doc.content);
		if (!applied.ok && applied.reason === 'status-list-gap') {
			doc = await fetchDoc();
			if (doc.ok) applied = applyStatusDocument(current, doc.content);
		}
		if (!applied.ok) {
			await refuse(state, { list: 'status', reason: applied.reason, detail: `${region}: ${applied.detail}`, at: opts.now() });
			continue;
		}
		next.set(region, applied.list);
	}
	state.statusLists = [...next.values()];
	await storeStatusLists(state, opts.now());
	state.statusCheckedAt = opts.now();
	await setMeta('statusCheckedAt', state.statusCheckedAt);
	return state;
}

async function storeStatusLists(state: ListsState, fetchedAt: number): Promise<void> {
	await setMeta(
		'statusLists',
		state.statusLists.map((s): StoredStatusList => ({
			region: s.region,
			seq: s.seq,
			issuedAt: s.issuedAt,
			maxAge: s.maxAge,
			revoked: [...s.revoked],
			fetchedAt
		}))
	);
}

export function rootKeyBytes(b64: string): Uint8Array {
	const k = fromBase64Url(b64);
	if (!k || k.length !== 32) throw new RangeError('root public key must be 32 bytes, base64url');
	return k;
}
