import { readFileSync } from 'node:fs';
import { fromBase64Url } from '../lib/core/bytes.js';
import { UsageError } from './usage-error.js';

/** A signed list from a file: raw COSE bytes, or the same as base64url text (as test vectors carry it). */
export function readDocument(path: string): Uint8Array {
	let raw: Buffer;
	try {
		raw = readFileSync(path);
	} catch {
		throw new UsageError(`cannot read ${path}`);
	}
	const text = raw.toString('latin1').trim();
	if (/^[A-Za-z0-9_-]+$/.test(text)) {
		const decoded = fromBase64Url(text);
		if (decoded) return decoded;
	}
	return new Uint8Array(raw);
}
