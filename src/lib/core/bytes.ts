/**
 * Byte helpers shared by browser and server. No Buffer (browser), no node:* (core fence).
 */

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
	return out;
}

/** Strict: even length, lowercase or uppercase hex digits only. Returns null on bad input. */
export function fromHex(text: string): Uint8Array | null {
	if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
	const out = new Uint8Array(text.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
	return out;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_INDEX = new Map([...B64URL].map((c, i) => [c, i]));

/** base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	for (; i + 2 < bytes.length; i += 3) {
		const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
		out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
	}
	const rest = bytes.length - i;
	if (rest === 1) {
		const n = bytes[i]! << 16;
		out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
	} else if (rest === 2) {
		const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
		out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]!;
	}
	return out;
}

/** Strict base64url decoding (no padding, no whitespace, canonical trailing bits). Null on bad input. */
export function fromBase64Url(text: string): Uint8Array | null {
	if (text.length % 4 === 1) return null;
	const out = new Uint8Array(Math.floor((text.length * 3) / 4));
	let acc = 0;
	let bits = 0;
	let o = 0;
	for (const c of text) {
		const v = B64URL_INDEX.get(c);
		if (v === undefined) return null;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 255;
		}
	}
	// Leftover bits must be zero, otherwise two texts would decode to the same bytes.
	if ((acc & ((1 << bits) - 1)) !== 0) return null;
	return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

export function utf8(text: string): Uint8Array {
	return new TextEncoder().encode(text);
}

/** Big-endian unsigned 64-bit encoding of a safe integer. */
export function uint64be(n: number): Uint8Array {
	const out = new Uint8Array(8);
	new DataView(out.buffer).setBigUint64(0, BigInt(n));
	return out;
}
