/**
 * The device's Ed25519 key, which signs the live proof every 30 s (core/live-proof.ts). Where the browser
 * implements Ed25519 in WebCrypto (Secure Curves) it is a non-extractable CryptoKey: script can sign with it
 * but never read it, and IndexedDB keeps it by structured clone. Elsewhere a random 32-byte seed for tweetnacl.
 */
import nacl from 'tweetnacl';
import type { SignFn } from '$lib/core/ed25519/ed25519';
import { residentDb, type ResidentDb, type StoredDeviceKey } from './db';

export interface DeviceKey {
	publicKey: Uint8Array;
	sign: SignFn;
	backend: 'webcrypto' | 'tweetnacl';
	registered: boolean;
}

/** Per database: one in a page, one per simulated phone in the drill (db.ts useResidentDbSource). */
const cached = new WeakMap<ResidentDb, Promise<DeviceKey>>();

export function deviceKey(): Promise<DeviceKey> {
	const db = residentDb();
	let key = cached.get(db);
	if (!key) {
		key = loadOrCreate(db).catch((error: unknown) => {
			cached.delete(db);
			throw error;
		});
		cached.set(db, key);
	}
	return key;
}

async function loadOrCreate(db: ResidentDb): Promise<DeviceKey> {
	const stored = (await db.keys.get('device')) ?? (await create(db));
	return toDeviceKey(stored);
}

async function create(db: ResidentDb): Promise<StoredDeviceKey> {
	let key: StoredDeviceKey;
	try {
		const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
		const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
		key = { id: 'device', backend: 'webcrypto', privateKey: pair.privateKey, publicKey, registered: false };
	} catch {
		const seed = crypto.getRandomValues(new Uint8Array(32));
		key = { id: 'device', backend: 'tweetnacl', seed, publicKey: nacl.sign.keyPair.fromSeed(seed).publicKey, registered: false };
	}
	// Two tabs may race on first open: the first key written wins and both use it.
	return db.transaction('rw', db.keys, async () => {
		const existing = await db.keys.get('device');
		if (existing) return existing;
		await db.keys.put(key);
		return key;
	});
}

function toDeviceKey(stored: StoredDeviceKey): DeviceKey {
	if (stored.backend === 'webcrypto') {
		const privateKey = stored.privateKey;
		return {
			publicKey: stored.publicKey,
			backend: 'webcrypto',
			registered: stored.registered,
			sign: async (message) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, new Uint8Array(message)))
		};
	}
	const secretKey = nacl.sign.keyPair.fromSeed(stored.seed).secretKey;
	return {
		publicKey: stored.publicKey,
		backend: 'tweetnacl',
		registered: stored.registered,
		sign: (message) => Promise.resolve(nacl.sign.detached(message, secretKey))
	};
}

export async function markRegistered(registered: boolean): Promise<void> {
	const db = residentDb();
	await db.keys.update('device', { registered });
	cached.delete(db);
}
