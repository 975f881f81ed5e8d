/**
 * Writes the scanner's PWA icons (static/scan/icon-192.png, icon-512.png, icon-maskable-512.png): a white
 * QR-finder mark on the scanner's blue. PNG by hand (zlib from Node), so no image dependency is needed.
 * Run: node bin/run-ts.js scripts/gen-scanner-icons.ts (outputs are committed).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const BLUE = [0x0b, 0x3d, 0x66];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}

/** `safe` = fraction of the icon the mark may use (maskable icons keep it inside the 80 % safe zone). */
function icon(size: number, safe: number): Buffer {
	const raw = Buffer.alloc(size * (size * 3 + 1));
	const mark = size * safe;
	const off = (size - mark) / 2;
	// A 7×7 finder pattern: dark ring, light ring, 3×3 dark centre — in white on blue.
	const isMark = (x: number, y: number): boolean => {
		const u = ((x - off) / mark) * 7,
			v = ((y - off) / mark) * 7;
		if (u < 0 || v < 0 || u >= 7 || v >= 7) return false;
		const ring = Math.min(u, v, 7 - u, 7 - v);
		return ring < 1 || ring >= 2;
	};
	for (let y = 0; y < size; y++) {
		const row = y * (size * 3 + 1);
		raw[row] = 0;
		for (let x = 0; x < size; x++) {
			const c = isMark(x + 0.5, y + 0.5) ? WHITE : BLUE;
			raw.set(c, row + 1 + x * 3);
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // truecolour RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const dir = join(import.meta.dirname, '..', 'static', 'scan');
writeFileSync(join(dir, 'icon-192.png'), icon(192, 0.6));
writeFileSync(join(dir, 'icon-512.png'), icon(512, 0.6));
writeFileSync(join(dir, 'icon-maskable-512.png'), icon(512, 0.45));
