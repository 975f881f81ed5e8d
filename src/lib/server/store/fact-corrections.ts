/**
 * Facts an officer may correct (an import error: a test result recorded wrongly, a case, contact or quarantine
 * record about the wrong person) and the append-only record of each correction (fact_corrections, migration 024).
 * Reading: one person's records with their receipt times. Writing: a test's result changed, or a record removed —
 * the before row goes into fact_corrections in the same transaction (proposals/fact-correction.ts).
 */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from './db.js';
import type { CasesTable, ContactsTable, FactCorrectionsTable, HealthTestsTable, QuarantineOrdersTable, TestResult } from './schema.js';

export const CORRECTABLE_KINDS = ['test', 'case', 'contact', 'quarantine'] as const;
export type CorrectableKind = (typeof CORRECTABLE_KINDS)[number];

export interface FactRecords {
	tests: HealthTestsTable[];
	cases: CasesTable[];
	contacts: ContactsTable[];
	quarantine: QuarantineOrdersTable[];
}

/** Every correctable record about one person (a handful of rows: a person's tests, cases, contacts and orders). */
export async function factRecordsOf(db: Db, ref: string): Promise<FactRecords> {
	const [tests, cases, contacts, quarantine] = await Promise.all([
		db.selectFrom('health_tests').selectAll().where('ref', '=', ref).orderBy('sampled_at', 'desc').execute(),
		db.selectFrom('cases').selectAll().where('ref', '=', ref).orderBy('confirmed_at', 'desc').execute(),
		db.selectFrom('contacts').selectAll().where('ref', '=', ref).orderBy('exposed_at', 'desc').execute(),
		db.selectFrom('quarantine_orders').selectAll().where('ref', '=', ref).orderBy('from_at', 'desc').execute()
	]);
	return { tests, cases, contacts, quarantine };
}

/** When each of these refs was confirmed a case (earliest confirmation), to say which case a contact record names. */
export async function caseConfirmations(db: Db, refs: readonly string[]): Promise<Map<string, { id: string; confirmed_at: number }>> {
	if (!refs.length) return new Map();
	const rows = await db
		.selectFrom('cases')
		.select(['id', 'ref', 'confirmed_at'])
		.where('ref', 'in', [...refs])
		.orderBy('confirmed_at')
		.execute();
	const out = new Map<string, { id: string; confirmed_at: number }>();
	for (const r of rows) if (!out.has(r.ref)) out.set(r.ref, { id: r.id, confirmed_at: r.confirmed_at });
	return out;
}

const TABLE = { test: 'health_tests', case: 'cases', contact: 'contacts', quarantine: 'quarantine_orders' } as const;

/** One correctable record of this person, or undefined. */
export async function factRecord(db: Db, kind: CorrectableKind, id: string, ref: string): Promise<Record<string, unknown> | undefined> {
	return db.selectFrom(TABLE[kind]).selectAll().where('id', '=', id).where('ref', '=', ref).executeTakeFirst();
}

/** A test's recorded result changed; false when the row is gone. */
export async function setTestResult(db: Db, id: string, ref: string, result: TestResult): Promise<boolean> {
	const r = await db.updateTable('health_tests').set({ result }).where('id', '=', id).where('ref', '=', ref).executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** A record removed (it was about someone else, or never happened); false when the row is gone. */
export async function removeFactRecord(db: Db, kind: CorrectableKind, id: string, ref: string): Promise<boolean> {
	const r = await db.deleteFrom(TABLE[kind]).where('id', '=', id).where('ref', '=', ref).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

export type FactCorrectionRow = Selectable<FactCorrectionsTable>;

export async function insertFactCorrection(db: Db, row: Insertable<FactCorrectionsTable>): Promise<void> {
	await db.insertInto('fact_corrections').values(row).execute();
}

/** One person's corrections, newest first. */
export async function factCorrectionsOfRef(db: Db, ref: string): Promise<FactCorrectionRow[]> {
	return db.selectFrom('fact_corrections').selectAll().where('ref', '=', ref).orderBy('at', 'desc').orderBy('id', 'desc').execute();
}
