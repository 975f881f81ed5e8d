/**
 * The scan log's wire format, written once: the event a guard device records and uploads (POST /api/v1/scans,
 * client/scanner/sync.ts and the log export in client/scanner/scan-log.ts), and the server's answer, one ack per
 * item plus the seq gaps (server/scans/ingest.ts). The hash chain over these fields is core/scan-log.ts.
 */
import * as v from 'valibot';
import type { VerdictKind } from '../verdict.js';

export const SCAN_VERDICTS = ['valid', 'invalid', 'unverifiable'] as const satisfies readonly VerdictKind[];
export type ScanVerdict = (typeof SCAN_VERDICTS)[number];

/**
 * A yellow code admitted after registration (policy yellow-with-registration): the person's name as on the code,
 * a phone number and when the guard registered them. The only personal data in the scan log, kept as long as
 * the scan it belongs to (purged with it on the device and on the server, docs/scanner.md §Registration). Not
 * part of the hash chain: it is captured after the scan was logged (the verdict is never held up for it); the
 * server attaches it to the stored scan once and never replaces it.
 */
export interface ScanRegistration {
	name: string;
	phone: string;
	/** Device clock, Unix ms. */
	at: number;
}

export const REGISTRATION_NAME_MAX = 40;

export type RegistrationProblem = { field: 'name'; problem: 'required' | 'too-long' } | { field: 'phone'; problem: 'required' | 'invalid' };

/**
 * The registration form's checks, shared by the scanner (errors in the guard's language) and the ingest (an item
 * with a bad registration is rejected 'bad-registration'). Returns the cleaned registration or every problem.
 * Phone: digits, optionally a leading +, spaces and hyphens allowed, 7–15 digits (E.164 length).
 */
export function checkRegistration(input: {
	name: unknown;
	phone: unknown;
	at: unknown;
}): { ok: true; registration: ScanRegistration } | { ok: false; problems: RegistrationProblem[] } {
	const problems: RegistrationProblem[] = [];
	const name = typeof input.name === 'string' ? input.name.trim().replace(/\s+/g, ' ') : '';
	if (!name) problems.push({ field: 'name', problem: 'required' });
	else if ([...name].length > REGISTRATION_NAME_MAX || /\p{Cc}/u.test(name)) problems.push({ field: 'name', problem: 'too-long' });
	const rawPhone = typeof input.phone === 'string' ? input.phone.trim() : '';
	const phone = rawPhone.replace(/[\s-]/g, '');
	if (!phone) problems.push({ field: 'phone', problem: 'required' });
	else if (!/^\+?[0-9]{7,15}$/.test(phone)) problems.push({ field: 'phone', problem: 'invalid' });
	if (problems.length) return { ok: false, problems };
	if (!Number.isSafeInteger(input.at) || (input.at as number) < 0) return { ok: false, problems: [{ field: 'phone', problem: 'invalid' }] };
	return { ok: true, registration: { name, phone, at: input.at as number } };
}

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
	/** Only on a yellow code admitted after registration; outside the hash chain (see ScanRegistration). */
	registration?: ScanRegistration;
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
	'hash',
	'registration'
] as const satisfies readonly (keyof ScanEvent)[];

/** The event's wire fields only (a stored outbox row carries state besides). */
export function scanEventOf(row: ScanEvent): ScanEvent {
	const { eventId, deviceId, seq, venueId, scannedAt, codeId, verdict, reason, prevHash, hash, registration } = row;
	const e: ScanEvent = { eventId, deviceId, seq, venueId, scannedAt, codeId, verdict, reason, prevHash, hash };
	if (registration) e.registration = { name: registration.name, phone: registration.phone, at: registration.at };
	return e;
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
