/**
 * A guard phone's enrolment as the scanner takes it (docs/scanner.md): a new device + upload token for the venue
 * (guards.ts enrolGuard), the pinned root public key, and `code` = the TXE1 format of core/contract/enrolment.ts, which
 * /scan accepts pasted or as a QR. Shared by `tongxing guard enrol` and the console, so both print the same thing.
 */
import { toBase64Url } from '../../core/bytes.js';
import type { Db } from '../store/db.js';
import { encodeEnrolment, type Enrolment, type EnrolmentWithCode } from '../../core/contract/enrolment.js';
import { readRootPublicKey } from '../keys/published.js';
import { enrolGuard } from './guards.js';

export type { EnrolmentWithCode };

/** Throws RangeError for an unknown venue. */
export async function guardEnrolmentCode(
	db: Db,
	hmacKey: Uint8Array,
	dataDir: string,
	venueId: string,
	nowMs: number
): Promise<EnrolmentWithCode> {
	const enrolment = await enrolGuard(db, hmacKey, venueId, nowMs);
	const root = readRootPublicKey(dataDir);
	const full: Enrolment = { ...enrolment, ...(root ? { rootPublicKey: toBase64Url(root) } : {}) };
	return { ...full, code: encodeEnrolment(full) };
}
