/**
 * Cross-checks before any code is issued: the public-security household register must confirm name ↔ ID
 * number, and the carrier that the phone is registered to that ID. Sources are adapters; a source that is
 * down or slower than CROSS_CHECK_TIMEOUT_MS never decides a colour in either direction: the declaration
 * stays pending and is shown as pending.
 */
import type { Db } from '../store/db.js';
import { registeredIdentity, registeredPhoneOwner } from '../store/identity-sources.js';
import type { CrossCheckSources } from '../deps.js';
import { keyedHash } from '../secrets.js';

export type { CrossCheckSources } from '../deps.js';

export const CROSS_CHECK_TIMEOUT_MS = 3_000;

export type CrossCheckResult =
	| { status: 'verified' }
	| { status: 'rejected'; code: 'identity/not-registered' | 'identity/name-mismatch' | 'identity/phone-mismatch' }
	| { status: 'pending'; reason: string };

export function nameHmac(key: Uint8Array, name: string): string {
	return keyedHash(key, 'name', name.normalize('NFKC').replace(/\s+/g, ' ').trim());
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
		p.then(
			(v) => (clearTimeout(t), resolve(v)),
			(e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e))))
		);
	});
}

export async function crossCheck(
	sources: CrossCheckSources,
	key: Uint8Array,
	who: { idHmac: string; name: string; phoneHmac: string | null },
	timeoutMs = CROSS_CHECK_TIMEOUT_MS
): Promise<CrossCheckResult> {
	try {
		const [register, owner] = await Promise.all([
			withTimeout(sources.householdRegister(who.idHmac), timeoutMs),
			who.phoneHmac === null ? Promise.resolve(null) : withTimeout(sources.phoneOwner(who.phoneHmac), timeoutMs)
		]);
		if (!register) return { status: 'rejected', code: 'identity/not-registered' };
		if (register.nameHmac !== nameHmac(key, who.name)) return { status: 'rejected', code: 'identity/name-mismatch' };
		if (who.phoneHmac !== null && owner !== who.idHmac) return { status: 'rejected', code: 'identity/phone-mismatch' };
		return { status: 'verified' };
	} catch (e) {
		return { status: 'pending', reason: e instanceof Error ? e.message : String(e) };
	}
}

/** The sources backed by our own tables (filled by imports; seeded in demo mode). */
export function databaseSources(db: Db): CrossCheckSources {
	return {
		householdRegister: (idHmac) => registeredIdentity(db, idHmac),
		phoneOwner: (phoneHmac) => registeredPhoneOwner(db, phoneHmac)
	};
}
