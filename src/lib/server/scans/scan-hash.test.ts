/**
 * The server's scan-chain hash must be byte-for-byte the core's (src/lib/core/scan-log.ts), or valid uploads would
 * be rejected as 'bad-hash': random events, every integer size class, non-ASCII and ill-formed strings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainScanEvent, scanEventHash, type ScanEvent } from '../../core/scan-log.js';
import { nodeScanEventHash } from './scan-hash.js';

const uint = fc.oneof(
	fc.integer({ min: 0, max: 30 }),
	fc.integer({ min: 0, max: 70_000 }),
	fc.integer({ min: 0, max: 2 ** 32 + 5 }),
	fc.maxSafeNat()
);
const text = fc.oneof(
	fc.string({ maxLength: 70 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.string({ minLength: 250, maxLength: 300 })
);
const event = fc.record({
	eventId: text,
	deviceId: text,
	seq: uint,
	venueId: text,
	scannedAt: uint,
	codeId: fc.option(text, { nil: null }),
	verdict: fc.constantFrom<ScanEvent['verdict'][]>('valid', 'invalid', 'unverifiable'),
	reason: text,
	prevHash: text
});

describe('nodeScanEventHash', () => {
	it('equals the core scanEventHash on random events', () => {
		fc.assert(
			fc.property(event, (e) => {
				expect(nodeScanEventHash(e)).toBe(scanEventHash(e));
			}),
			{ numRuns: 1000 }
		);
	}, 60_000);

	it('equals it along a real chain (chainScanEvent), and for lone surrogates and 65 536-byte strings', () => {
		let prev: ScanEvent | null = null;
		for (let i = 0; i < 300; i++) {
			prev = chainScanEvent(prev, {
				eventId: `evt-${i}-abcdefgh`,
				deviceId: 'dev-1',
				venueId: '场所-1',
				scannedAt: 1_764_000_000_000 + i * 997,
				codeId: i % 3 ? `code${i}` : null,
				verdict: 'valid',
				reason: 'ok'
			});
			expect(nodeScanEventHash(prev)).toBe(prev.hash);
		}
		const base = {
			eventId: 'e',
			deviceId: 'd',
			seq: 1,
			venueId: 'v',
			scannedAt: 0,
			codeId: null,
			verdict: 'valid' as const,
			reason: 'ok',
			prevHash: ''
		};
		for (const s of ['\ud800', 'a\udfffb', 'x'.repeat(65_536), '雪'.repeat(30_000)]) {
			expect(nodeScanEventHash({ ...base, reason: s })).toBe(scanEventHash({ ...base, reason: s }));
		}
	});
});
