/**
 * The scan-chain hash (src/lib/core/scan-log.ts) on the server's hot path: the same bytes — deterministic CBOR
 * (RFC 8949 §4.2.1: shortest-form heads) of
 *   ["TX-SCAN-1", deviceId, seq, eventId, venueId, scannedAt, codeId / null, verdict, reason, prevHash]
 * — written straight into one reused buffer and hashed with node:crypto's one-shot hash() (OpenSSL) instead of
 * cborg + @noble/hashes.
 * Measured ~3–4× faster per event (bench/server.ts), which matters at 50 000 scans/s. Byte-identical to
 * scanEventHash: checked in scan-hash.test.ts on random events. Anything outside the fast path's domain (a string
 * with a UTF-16 surrogate — astral characters, lone halves —, a number that is not a non-negative safe integer) goes to the core function.
 */
import { hash } from 'node:crypto';
import { scanEventHash, type ScanEvent } from '../../core/scan-log.js';

const TAG = 'TX-SCAN-1';
let scratch = Buffer.allocUnsafe(1024);

function headSize(n: number): number {
	return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9;
}

/** Writes a CBOR head (major type `major`, argument n) at `o`; returns the next offset. */
function writeHead(buf: Buffer, o: number, major: number, n: number): number {
	const m = major << 5;
	if (n < 24) {
		buf[o] = m | n;
		return o + 1;
	}
	if (n < 0x100) {
		buf[o] = m | 24;
		buf[o + 1] = n;
		return o + 2;
	}
	if (n < 0x10000) {
		buf[o] = m | 25;
		buf.writeUInt16BE(n, o + 1);
		return o + 3;
	}
	if (n < 0x100000000) {
		buf[o] = m | 26;
		buf.writeUInt32BE(n, o + 1);
		return o + 5;
	}
	buf[o] = m | 27;
	buf.writeUInt32BE(Math.floor(n / 0x100000000), o + 1);
	buf.writeUInt32BE(n >>> 0, o + 5);
	return o + 9;
}

const isUint = (n: number) => Number.isSafeInteger(n) && n >= 0;
/** Any UTF-16 surrogate (paired or not): such strings go to the core encoder, which defines their bytes. */
const SURROGATE = /[\uD800-\uDFFF]/;
const TAG_BYTES = Buffer.from(TAG, 'utf8');

/** A string's CBOR text head + UTF-8 bytes at `o`; returns the next offset. */
function writeText(buf: Buffer, o: number, s: string, length: number): number {
	o = writeHead(buf, o, 3, length);
	return o + buf.write(s, o, length, 'utf8');
}

export function nodeScanEventHash(e: Omit<ScanEvent, 'hash'>): string {
	const { deviceId, eventId, venueId, verdict, reason, prevHash, codeId, seq, scannedAt } = e;
	if (
		typeof deviceId !== 'string' ||
		typeof eventId !== 'string' ||
		typeof venueId !== 'string' ||
		typeof verdict !== 'string' ||
		typeof reason !== 'string' ||
		typeof prevHash !== 'string' ||
		(codeId !== null && typeof codeId !== 'string') ||
		!isUint(seq) ||
		!isUint(scannedAt) ||
		SURROGATE.test(deviceId) ||
		SURROGATE.test(eventId) ||
		SURROGATE.test(venueId) ||
		SURROGATE.test(verdict) ||
		SURROGATE.test(reason) ||
		SURROGATE.test(prevHash) ||
		(codeId !== null && SURROGATE.test(codeId))
	) {
		return scanEventHash(e);
	}
	const lDevice = Buffer.byteLength(deviceId, 'utf8');
	const lEvent = Buffer.byteLength(eventId, 'utf8');
	const lVenue = Buffer.byteLength(venueId, 'utf8');
	const lCode = codeId === null ? 0 : Buffer.byteLength(codeId, 'utf8');
	const lVerdict = Buffer.byteLength(verdict, 'utf8');
	const lReason = Buffer.byteLength(reason, 'utf8');
	const lPrev = Buffer.byteLength(prevHash, 'utf8');
	const size =
		1 +
		1 +
		TAG_BYTES.length +
		headSize(lDevice) +
		lDevice +
		headSize(seq) +
		headSize(lEvent) +
		lEvent +
		headSize(lVenue) +
		lVenue +
		headSize(scannedAt) +
		(codeId === null ? 1 : headSize(lCode) + lCode) +
		headSize(lVerdict) +
		lVerdict +
		headSize(lReason) +
		lReason +
		headSize(lPrev) +
		lPrev;
	if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
	const buf = scratch;
	buf[0] = 0x8a; // array(10)
	buf[1] = 0x60 | TAG_BYTES.length; // text(9) "TX-SCAN-1"
	TAG_BYTES.copy(buf, 2);
	let o = 2 + TAG_BYTES.length;
	o = writeText(buf, o, deviceId, lDevice);
	o = writeHead(buf, o, 0, seq);
	o = writeText(buf, o, eventId, lEvent);
	o = writeText(buf, o, venueId, lVenue);
	o = writeHead(buf, o, 0, scannedAt);
	if (codeId === null) buf[o++] = 0xf6;
	else o = writeText(buf, o, codeId, lCode);
	o = writeText(buf, o, verdict, lVerdict);
	o = writeText(buf, o, reason, lReason);
	o = writeText(buf, o, prevHash, lPrev);
	return hash('sha256', buf.subarray(0, o), 'base64url');
}
