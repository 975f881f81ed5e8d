/**
 * The scanner's bundle refresh against a fake region server: what it asks for (the versions it holds), and that
 * per region it keeps the newest key list — an older list replayed later (a key back to "active") changes nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tweetnaclBackend } from '$lib/core/ed25519/tweetnacl';
import { toHex } from '$lib/core/bytes';
import { decodeTrustBundle, encodeTrustBundle, type TrustBundle } from '$lib/core/federation/trust-bundle';
import * as f from '../../../../scripts/vectors/fixture.js';
import * as g from '../../../../scripts/vectors/federation-fixture.js';
import type { ListsState } from './lists';

const meta = new Map<string, unknown>();
vi.mock('./db', () => ({
	getMeta: (k: string) => Promise.resolve(meta.get(k)),
	setMeta: (k: string, v: unknown) => Promise.resolve(void meta.set(k, v))
}));
const { refreshBundle } = await import('./bundle-refresh');

const empty = (): ListsState => ({
	trustList: null,
	statusLists: [],
	trustCheckedAt: null,
	statusCheckedAt: null,
	lastRefusal: null,
	timeFloor: null
});
const entry = (k: ReturnType<typeof f.key>, status: 'active' | 'compromised') =>
	f.issuerEntry(k, g.BJ, f.NOW_S - 60 * f.DAY, f.NOW_S + 300 * f.DAY, status);

async function refresh(state: ListsState, bundle: Uint8Array) {
	const urls: string[] = [];
	const refusals: string[] = [];
	const fetchFn = ((url: string) => {
		urls.push(url);
		return Promise.resolve(new Response(new Uint8Array(bundle)));
	}) as typeof fetch;
	const federated = await refreshBundle(
		state,
		{ rootPublicKey: f.root.publicKey, backend: tweetnaclBackend, now: () => f.NOW, fetch: fetchFn },
		(r) => Promise.resolve(void refusals.push(`${r.reason}: ${r.detail}`)),
		() => Promise.resolve()
	);
	return { federated, urls, refusals };
}

beforeEach(() => meta.clear());

describe('refreshBundle', { timeout: 60_000 }, () => {
	it('takes every region, asks next time with the versions it holds, and keeps the newest key list per region', async () => {
		const state = empty();
		const first = await g.bundle({
			keyLists: [
				await g.keyListSz(),
				await g.keyListBj({ version: 6, keys: [entry(g.issuerBj, 'active'), entry(g.leakedBj, 'compromised')] })
			]
		});
		expect((await refresh(state, first)).federated).toBe(true);
		expect(state.trustList?.regions?.get(g.BJ)?.version).toBe(6);
		expect(state.statusLists.map((s) => s.region).sort()).toEqual([g.BJ, g.SZ]);

		// a replay of Beijing's older list, where the leaked key was still active
		const older = decodeTrustBundle(first) as TrustBundle;
		const replay = encodeTrustBundle({
			...older,
			keyLists: [await g.keyListBj({ version: 4, keys: [entry(g.issuerBj, 'active'), entry(g.leakedBj, 'active')] })],
			statusLists: []
		});
		const second = await refresh(state, replay);
		expect(second.urls[0]).toMatch(/have=(?=.*110100:9)(?=.*440300:42).*&keys=(?=.*110100:6)(?=.*440300:3)/);
		expect(state.trustList?.byKid.get(toHex(g.leakedBj.kid))?.status).toBe('compromised');
		expect(state.trustList?.regions?.get(g.BJ)?.version).toBe(6);
	});

	it('a single-region server (empty bundle) is not federated: the caller uses the trust list', async () => {
		const state = empty();
		const none = encodeTrustBundle({ issuedAt: f.NOW_S, certs: [], revocations: [], keyLists: [], statusLists: [] });
		expect((await refresh(state, none)).federated).toBe(false);
		expect(state.trustList).toBeNull();
	});
});
