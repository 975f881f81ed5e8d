/**
 * Generates the resident app's PWA icons (static/icons/*.png) without an image library: a PNG is an IHDR,
 * one zlib-deflated IDAT of filter-0 RGBA rows and an IEND, each chunk CRC-32'd (PNG spec §5, §11).
 * The picture: the brand green, a white rounded "pass" card with a QR-like finder square. The maskable
 * variant keeps everything inside the central 80 % safe zone (W3C Manifest, "maskable" purpose).
 * Run: node bin/run-ts.js scripts/gen-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
const GREEN: Rgba = [11, 110, 79, 255];
const WHITE: Rgba = [255, 255, 255, 255];

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
	return Buffer.concat([head, data, crc]);
}

function png(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
	const raw = Buffer.alloc(size * (size * 4 + 1));
	for (let y = 0; y < size; y++) {
		raw[y * (size * 4 + 1)] = 0;
		for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // RGBA
	return Buffer.concat([
		Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

/** `inset`: fraction of the side kept clear around the card (maskable icons need ≥ 10 %). */
function icon(size: number, inset: number, rounded: boolean): Buffer {
	const r = size * 0.18;
	return png(size, (x, y) => {
		// Rounded outer square for "any" icons; full bleed for maskable (the platform applies its own mask).
		if (rounded) {
			const cx = Math.min(Math.max(x, r), size - r);
			const cy = Math.min(Math.max(y, r), size - r);
			if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return [0, 0, 0, 0];
		}
		const u = (x / size - inset) / (1 - 2 * inset);
		const v = (y / size - inset) / (1 - 2 * inset);
		// A white card from 0.2..0.8 with three finder squares, like a QR code's corners.
		const inCard = u > 0.2 && u < 0.8 && v > 0.2 && v < 0.8;
		if (!inCard) return GREEN;
		const finder = (fu: number, fv: number) => {
			const du = (u - fu) / 0.18,
				dv = (v - fv) / 0.18;
			if (du < 0 || du > 1 || dv < 0 || dv > 1) return false;
			const ring = du < 1 / 7 || du > 6 / 7 || dv < 1 / 7 || dv > 6 / 7;
			const core = du > 2 / 7 && du < 5 / 7 && dv > 2 / 7 && dv < 5 / 7;
			return ring || core;
		};
		return finder(0.25, 0.25) || finder(0.57, 0.25) || finder(0.25, 0.57) ? GREEN : WHITE;
	});
}

const out = join(import.meta.dirname, '..', 'static', 'icons');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'resident-192.png'), icon(192, 0, true));
writeFileSync(join(out, 'resident-512.png'), icon(512, 0, true));
writeFileSync(join(out, 'resident-maskable-512.png'), icon(512, 0.1, false));
console.log('wrote static/icons/resident-{192,512,maskable-512}.png');
