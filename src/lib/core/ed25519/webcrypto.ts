/**
 * WebCrypto Ed25519 backend (Secure Curves: Chromium 137+, Firefox 129+, Safari 17+, Node 20).
 * Imported keys are cached: importKey costs about as much as the verification itself.
 * Reached through `globalThis.crypto` so core keeps no node:* import.
 */
import type { Ed25519Backend } from './ed25519.js';
import { fromHex, toHex } from '../bytes.js';

const ALG = { name: 'Ed25519' } as const;
const KEY_CACHE_LIMIT = 256;

function subtle(): SubtleCrypto | undefined {
	return (globalThis as { crypto?: Crypto }).crypto?.subtle;
}

export function createWebCryptoBackend(): Ed25519Backend {
	const keys = new Map<string, Promise<CryptoKey>>();
	function importKey(publicKey: Uint8Array): Promise<CryptoKey> {
		const id = toHex(publicKey);
		let key = keys.get(id);
		if (!key) {
			if (keys.size >= KEY_CACHE_LIMIT) keys.delete(keys.keys().next().value!);
			key = subtle()!.importKey('raw', new Uint8Array(publicKey), ALG, false, ['verify']);
			keys.set(id, key);
			key.catch(() => keys.delete(id));
		}
		return key;
	}
	return {
		name: 'webcrypto',
		async verifyRaw(publicKey, message, signature) {
			const key = await importKey(publicKey);
			return subtle()!.verify(ALG, key, new Uint8Array(signature), new Uint8Array(message));
		}
	};
}

/** RFC 8032 §7.1 test 1: checks that this runtime's WebCrypto really verifies Ed25519. */
const PROBE = {
	publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
	signature:
		'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
};

export async function webCryptoEd25519Available(): Promise<boolean> {
	if (!subtle()) return false;
	try {
		return await createWebCryptoBackend().verifyRaw(fromHex(PROBE.publicKey)!, new Uint8Array(0), fromHex(PROBE.signature)!);
	} catch {
		return false;
	}
}
