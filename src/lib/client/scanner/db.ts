/**
 * The scanner's IndexedDB ('tongxing-scanner', Dexie). Holds only what a venue log needs (docs/scanner.md):
 * - meta: the enrolment, the last good trust list (signed bytes) and status lists (verified content), the
 *   chain head (seq + hash of the newest event), settings, the last refused update.
 * - outbox: one row per scan, the hash-chained ScanEvent (core/scan-log.ts) plus its upload state. No names,
 *   no ID numbers, no code text: the code id (cti) only — except `registration` (name, phone, time) on a yellow
 *   code registered at a yellow-with-registration venue, deleted with its row (docs/scanner.md §Entry policies).
 */
import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { ScanEvent } from '$lib/core/scan-log';

export type OutboxState = 'pending' | 'uploaded' | 'rejected';

export interface OutboxEntry extends ScanEvent {
	state: OutboxState;
	/** Device clock (ms) when the server acknowledged it (accepted or duplicate). */
	uploadedAt?: number;
	/** Server's reason when it rejected the item (kept, shown, exported; never retried). */
	rejectReason?: string;
}

export interface MetaRow {
	key: string;
	value: unknown;
}

export class ScannerDb extends Dexie {
	meta!: Table<MetaRow, string>;
	outbox!: Table<OutboxEntry, string>;

	/** `options`: the drill (scripts/drill/sim) gives each simulated scanner its own IndexedDB factory. */
	constructor(name = 'tongxing-scanner', options?: DexieOptions) {
		super(name, options);
		this.version(1).stores({
			meta: 'key',
			// seq is unique per device: two tabs can never write the same seq (the chain cannot fork).
			outbox: 'eventId, &seq, state, uploadedAt'
		});
	}
}

let db: ScannerDb | undefined;
let source: (() => ScannerDb) | undefined;

/**
 * The drill runs thousands of scanners in one Node process (scripts/drill/sim/device-context.ts): every call then
 * asks it which device's database is meant. The PWA never calls this (one device per page, the default below).
 */
export function useScannerDbSource(fn: () => ScannerDb): void {
	source = fn;
}

export function scannerDb(): ScannerDb {
	if (source) return source();
	db ??= new ScannerDb();
	return db;
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
	return (await scannerDb().meta.get(key))?.value as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
	await scannerDb().meta.put({ key, value });
}
