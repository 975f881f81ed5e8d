/**
 * The resident app's IndexedDB (Dexie): only what showing a code needs. Privacy: signed code texts, the
 * masked name, colour, reasons (with their dates, places and the way back to green), validity, the device key
 * and sync state. No ID
 * numbers and no phone numbers are stored here (the session itself is an HttpOnly cookie).
 */
import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import type { Explanation } from '$lib/core/contract/resident';

export interface StoredCode {
	codeId: string;
	/** base64url COSE_Sign1, as the issuer signed it */
	credential: string;
	colour: 'green' | 'yellow' | 'red';
	reasons: string[];
	kind: string;
	/** Unix ms */
	iat: number;
	exp: number;
}

export interface StoredPerson {
	personId: string;
	relation: 'self' | 'proxy';
	maskedName: string;
	/** current + next, ordered by iat */
	codes: StoredCode[];
	declaration: { status: string; submittedAt: number } | null;
	/**
	 * Why the colour and the way back to green, served beside the codes (never inside them) and kept here so the
	 * page shows it offline. Only the person's own decision: dates, place names, steps. Absent in rows stored by
	 * an older app (not indexed: no database version change).
	 */
	explanation?: Explanation | null;
	/** position in the server's list (self first) */
	order: number;
}

/** The device's Ed25519 key: a non-extractable CryptoKey where the browser has Ed25519, else a tweetnacl seed. */
export type StoredDeviceKey =
	| { id: 'device'; backend: 'webcrypto'; privateKey: CryptoKey; publicKey: Uint8Array; registered: boolean }
	| { id: 'device'; backend: 'tweetnacl'; seed: Uint8Array; publicKey: Uint8Array; registered: boolean };

export interface SyncState {
	id: 'sync';
	signedIn: boolean;
	/** ETag of the last /me/codes answer */
	codesEtag: string | null;
	/** Unix ms of the last successful sync of codes */
	syncedAt: number | null;
	/** 0 while healthy; consecutive failures drive the backoff */
	failures: number;
	lastError: string | null;
	persisted: 'granted' | 'refused' | 'unsupported' | null;
	/**
	 * The newest time the server has vouched for (its `Date` on a successful /me/codes answer, a signed code's
	 * `iat`), Unix ms, only ever raised (time-floor.ts): a lower bound for "now" so a phone clock set back cannot
	 * show an expired code as valid. Absent on rows written before it existed.
	 */
	timeFloor?: number | null;
	/**
	 * The server's clock minus this phone's at the last successful sync, ms (time-floor.ts clockOffset; 0 within
	 * noise): current-code.ts residentNow adds it to the phone's clock. Absent on rows written before it existed.
	 */
	clockOffsetMs?: number | null;
	/** The server's Retry-After on the last failed round (ms), a floor for the next delay (sync-round.ts nextDelayMs). */
	retryAfterMs?: number | null;
}

/**
 * A live code already signed and proven readable for one 30 s step (live-qr-cache.ts): what lets a reopened
 * app draw without re-running the readability check. Holds nothing the stored credential does not.
 */
export interface StoredLiveQr {
	step: number;
	credential: string;
	text: string;
	maskPattern: number;
}

export class ResidentDb extends Dexie {
	people!: EntityTable<StoredPerson, 'personId'>;
	keys!: EntityTable<StoredDeviceKey, 'id'>;
	sync!: EntityTable<SyncState, 'id'>;
	liveQr!: EntityTable<StoredLiveQr, 'step'>;

	/** `options`: the drill (scripts/drill/sim) gives each simulated phone its own IndexedDB factory. */
	constructor(name = 'tongxing-resident', options?: DexieOptions) {
		super(name, options);
		this.version(1).stores({ people: 'personId, order', keys: 'id', sync: 'id', documents: 'id' });
		this.version(2).stores({ liveQr: 'step' });
		// Version 3 drops `documents` (trust list, status list, config): downloaded every sync, read by nothing.
		// The other tables, and what they hold, carry over unchanged.
		this.version(3).stores({ documents: null });
	}
}

let instance: ResidentDb | undefined;
let source: (() => ResidentDb) | undefined;

/**
 * The drill runs thousands of phones in one Node process (scripts/drill/sim/device-context.ts): every call then
 * asks it which phone's database is meant. The PWA never calls this (one phone per page, the default below).
 */
export function useResidentDbSource(fn: () => ResidentDb): void {
	source = fn;
}

/** Lazily opened: pages are prerendered, and the server must never touch IndexedDB. */
export function residentDb(): ResidentDb {
	if (source) return source();
	instance ??= new ResidentDb();
	return instance;
}

export const EMPTY_SYNC: SyncState = {
	id: 'sync',
	signedIn: false,
	codesEtag: null,
	syncedAt: null,
	failures: 0,
	lastError: null,
	persisted: null,
	timeFloor: null,
	clockOffsetMs: null
};

export async function readSync(): Promise<SyncState> {
	return (await residentDb().sync.get('sync')) ?? EMPTY_SYNC;
}

export async function patchSync(patch: Partial<Omit<SyncState, 'id'>>): Promise<void> {
	const db = residentDb();
	await db.transaction('rw', db.sync, async () => {
		const current = (await db.sync.get('sync')) ?? EMPTY_SYNC;
		await db.sync.put({ ...current, ...patch, id: 'sync' });
	});
}

/** Sign-out: forget codes and sync state; the device key stays (it is not personal data). */
export async function clearResidentData(): Promise<void> {
	const db = residentDb();
	await db.transaction('rw', db.people, db.sync, db.liveQr, async () => {
		await db.people.clear();
		await db.sync.clear();
		await db.liveQr.clear();
	});
}
