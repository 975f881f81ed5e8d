/**
 * The scanner's bundle refresh against a fake region server: what it asks for (the versions it holds), and that
 * per region it keeps the newest key list — an older list replayed later (a key back to "active") changes nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tweetnaclBackend } from '$lib/core/ed25519/tweetnacl';
import { fromBase64Url } from '$lib/core/bytes';
import { cborDecode } from '$lib/core/cbor';
import { parseCose } from '$lib/core/cose';
import { decodeTrustBundle, encodeTrustBundle, type TrustBundle } from '$lib/core/federation/trust-bundle';
import type { ListsState } from './lists';
// the federation vectors (scripts/vectors/federation-cases.ts): Beijing's v6 list marks a key compromised, v4 did not
import compromised from '../../../../test-vectors/federation-compromised-key.json';
import olderNewer from '../../../../test-vectors/federation-older-key-list-ignored.json';

const meta = new Map<string, unknown>();
vi.mock('./db', () => ({
	getMeta: (k: string) => Promise.resolve(meta.get(k)),
	setMeta: (k: string, v: unknown) => Promise.resolve(void meta.set(k, v))
}));
const { refreshBundle } = await import('./bundle-refresh');

const ROOT = fromBase64Url(compromised.rootPublicKey)!;
const NOW = Date.parse(compromised.now);
const NOW_S = Math.floor(NOW / 1000);
const BJ = '110100';
const bundleOf = (b64: string) => decodeTrustBundle(fromBase64Url(b64)!) as TrustBundle;
const versionOf = (doc: Uint8Array) => {
	const cose = parseCose(cborDecode(doc));
	return typeof cose === 'string' ? -1 : Number((cborDecode(cose.payload) as Map<string, unknown>).get('version'));
};

const empty = (): ListsState => ({
	trustList: null,
	statusLists: [],
	trustCheckedAt: null,
	statusCheckedAt: null,
	lastRefusal: null,
	timeFloor: null
});

async function refresh(state: ListsState, bundle: Uint8Array) {
	const urls: string[] = [];
	const refusals: string[] = [];
	const fetchFn = ((url: string) => {
		urls.push(url);
		return Promise.resolve(new Response(new Uint8Array(bundle)));
	}) as typeof fetch;
	const federated = await refreshBundle(
		state,
		{ rootPublicKey: ROOT, backend: tweetnaclBackend, now: () => NOW, fetch: fetchFn },
		(r) => Promise.resolve(void refusals.push(`${r.reason}: ${r.detail}`)),
		() => Promise.resolve()
	);
	return { federated, urls, refusals };
}

beforeEach(() => meta.clear());

describe('refreshBundle', { timeout: 60_000 }, () => {
	it('takes every region, asks next time with the versions it holds, and keeps the newest key list per region', async () => {
		const state = empty();
		expect((await refresh(state, fromBase64Url(compromised.trustBundle)!)).federated).toBe(true);
		expect(state.trustList?.regions?.get(BJ)?.version).toBe(6);
		expect(state.statusLists.map((s) => s.region).sort()).toEqual([BJ, '440300']);
		const leaked = state.trustList!.keys.find((k) => k.region === BJ && k.status === 'compromised')!.kid;

		// a replay of Beijing's older list (v4), where the leaked key was still active
		const v4 = bundleOf(olderNewer.trustBundle).keyLists.find((d) => versionOf(d) === 4)!;
		const replay = encodeTrustBundle({ ...bundleOf(compromised.trustBundle), keyLists: [v4], statusLists: [] });
		const second = await refresh(state, replay);
		expect(second.urls[0]).toMatch(/have=(?=.*110100:9)(?=.*440300:42).*&keys=(?=.*110100:6)(?=.*440300:3)/);
		expect(state.trustList?.byKid.get(leaked)?.status).toBe('compromised');
		expect(state.trustList?.regions?.get(BJ)?.version).toBe(6);
	});

	it('a single-region server (empty bundle) is not federated: the caller uses the trust list', async () => {
		const state = empty();
		const none = encodeTrustBundle({ issuedAt: NOW_S, certs: [], revocations: [], keyLists: [], statusLists: [] });
		expect((await refresh(state, none)).federated).toBe(false);
		expect(state.trustList).toBeNull();
	});
});
