/**
 * The scan log's wire format, written once: the event a guard device records and uploads (POST /api/v1/scans,
 * client/scanner/sync.ts and the log export in client/scanner/scan-log.ts), and the server's answer, one ack per
 * item plus the seq gaps (server/scans/ingest.ts). The hash chain over these fields is core/scan-log.ts.
 */
import * as v from 'valibot';
import type { VerdictKind } from '../verdict.js';

export const SCAN_VERDICTS = ['valid', 'invalid', 'unverifiable'] as const satisfies readonly VerdictKind[];
export type ScanVerdict = (typeof SCAN_VERDICTS)[number];

export interface ScanEvent {
	/** Client-generated, unique (idempotency key). */
	eventId: string;
	deviceId: string;
	seq: number;
	venueId: string;
	/** Device clock, Unix ms. */
	scannedAt: number;
	codeId: string | null;
	verdict: ScanVerdict;
	reason: string;
	prevHash: string;
	hash: string;
}

/** Every field of an uploaded event, in upload order; the server refuses an item with any other. */
export const SCAN_EVENT_FIELDS = [
	'eventId',
	'deviceId',
	'seq',
	'venueId',
	'scannedAt',
	'codeId',
	'verdict',
	'reason',
	'prevHash',
	'hash'
] as const satisfies readonly (keyof ScanEvent)[];

/** The event's wire fields only (a stored outbox row carries state besides). */
export function scanEventOf(row: ScanEvent): ScanEvent {
	const { eventId, deviceId, seq, venueId, scannedAt, codeId, verdict, reason, prevHash, hash } = row;
	return { eventId, deviceId, seq, venueId, scannedAt, codeId, verdict, reason, prevHash, hash };
}

/** POST /api/v1/scans: the most items one upload may carry. */
export const MAX_SCAN_BATCH = 500;

export interface ScanUploadRequest {
	events: ScanEvent[];
}

export const ScanAckSchema = v.union([
	v.object({ eventId: v.string(), status: v.picklist(['accepted', 'duplicate']), seq: v.number() }),
	v.object({ eventId: v.nullable(v.string()), status: v.literal('rejected'), reason: v.string() })
]);
export type ScanAck = v.InferOutput<typeof ScanAckSchema>;

export const ScanUploadResponseSchema = v.object({
	acks: v.array(ScanAckSchema),
	/** seq ranges (inclusive) below the highest received that this device has not delivered */
	gaps: v.array(v.strictTuple([v.number(), v.number()]))
});
export type ScanUploadResponse = v.InferOutput<typeof ScanUploadResponseSchema>;
