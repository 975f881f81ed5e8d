/**
 * The console's keys page (issue 15, "People and devices"): the issuer keys as the trust list names them (kid,
 * region, window, status, whether the served list has them yet), rotating a region's issuer key and marking a key
 * compromised — each behind a typed confirmation (the region, or the kid, typed again) and audited (`key.rotate`,
 * `key.compromise`). Only calls the keys/ functions the CLI calls (`tongxing keys rotate` / `compromise`), so it
 * follows however the trust list is made: published at once where the root key is here (demo), otherwise left for
 * the operator's offline ceremony (the page says so).
 */
import { readFileSync } from 'node:fs';
import { REGION_RE } from '../../core/claims.js';
import type { CompromisedKey, IssuerKeyView, KeysResponse, RotatedKey } from '../../core/contract/console-people.js';
import { openTrustList, type TrustList } from '../../core/trust-list.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import { createNodeBackend } from '../crypto/node-ed25519.js';
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { reissueCodesOfKey } from '../issuer/reissue.js';
import { readRootPublicKey, trustListPath } from '../keys/published.js';
import { compromiseKey, rotateKey } from '../keys/rotate.js';
import { actorName } from './staff-accounts.js';

/** The trust list this server serves, opened against the pinned root; null when there is none (or it does not open). */
async function servedTrustList(dataDir: string): Promise<TrustList | null> {
	const root = readRootPublicKey(dataDir);
	if (!root) return null;
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(readFileSync(trustListPath(dataDir)));
	} catch {
		return null;
	}
	const opened = await openTrustList(bytes, { rootPublicKey: root, backend: createNodeBackend() });
	return opened.ok ? opened.list : null;
}

export async function listIssuerKeys(deps: IssuerDeps): Promise<KeysResponse> {
	const nowSec = Math.floor(deps.clock() / 1000);
	const served = await servedTrustList(deps.dataDir);
	const keys: IssuerKeyView[] = deps.keys.issuers().map((k) => ({
		kid: k.kid,
		region: k.region,
		notBefore: k.notBefore,
		notAfter: k.notAfter,
		status: k.status,
		signingNow: deps.keys.activeIssuer(k.region, nowSec)?.kid === k.kid,
		published: served?.byKid.get(k.kid)?.status === k.status
	}));
	return { keys: keys.reverse(), rootHere: deps.keys.hasRoot(), trustListVersion: served?.version ?? null };
}

/** Rotates the region's issuer key (the next one signs after the default delay); `confirm` must repeat the region. */
export async function rotateFromConsole(
	deps: IssuerDeps,
	staffId: string,
	input: { region?: unknown; confirm?: unknown }
): Promise<RotatedKey> {
	if (typeof input.region !== 'string' || !REGION_RE.test(input.region)) throw new DomainError('key/region-invalid');
	if (input.confirm !== input.region) throw new DomainError('key/confirm-mismatch');
	const actor = await actorName(deps, staffId);
	const now = deps.clock();
	const r = await rotateKey(deps.keys, deps.dataDir, { region: input.region, nowSec: Math.floor(now / 1000) });
	await recordStaffAction(deps.db, {
		actor,
		action: 'key.rotate',
		target: r.next.kid,
		detail: { region: input.region, previous: r.previous, notBefore: r.next.notBefore, trustListVersion: r.version },
		at: now
	});
	return { kid: r.next.kid, notBefore: r.next.notBefore, previous: r.previous, version: r.version };
}

/**
 * Marks a key compromised (a replacement signs at once if it was the region's signing key), then revokes the live
 * codes it signed and re-issues them, as `tongxing keys compromise` does. `confirm` must repeat the kid.
 */
export async function compromiseFromConsole(deps: IssuerDeps, staffId: string, kid: string, confirm: unknown): Promise<CompromisedKey> {
	if (!deps.keys.issuers().some((k) => k.kid === kid)) throw new DomainError('key/not-found');
	if (confirm !== kid) throw new DomainError('key/confirm-mismatch');
	const actor = await actorName(deps, staffId);
	const now = deps.clock();
	const r = await compromiseKey(deps.keys, deps.dataDir, { kid, nowSec: Math.floor(now / 1000) });
	const out = await reissueCodesOfKey(deps, kid);
	await recordStaffAction(deps.db, {
		actor,
		action: 'key.compromise',
		target: kid,
		detail: { replacement: r.replacement?.kid ?? null, trustListVersion: r.version, codesRevoked: out.revoked, people: out.people },
		at: now
	});
	return { kid, replacement: r.replacement?.kid ?? null, version: r.version, codesRevoked: out.revoked, people: out.people };
}
