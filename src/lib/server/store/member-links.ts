/**
 * member_links and member_link_events: an account's requests to hold a person's codes, their evidence and what
 * became of them (issuer/member-links.ts decides). Events are only ever inserted: the audit of who linked whom.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from './db.js';
import type { MemberLinkMethod, MemberLinksTable } from './schema.js';

export type MemberLink = Selectable<MemberLinksTable>;

export async function insertMemberLink(db: Db, row: Insertable<MemberLinksTable>): Promise<void> {
	await db.insertInto('member_links').values(row).execute();
}

export async function memberLink(db: Db, id: string): Promise<MemberLink | undefined> {
	return db.selectFrom('member_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account's links still pending, oldest first. */
export async function pendingLinksOfAccount(db: Db, accountId: string): Promise<MemberLink[]> {
	return db
		.selectFrom('member_links')
		.selectAll()
		.where('account_id', '=', accountId)
		.where('status', '=', 'pending')
		.orderBy('created_at')
		.execute();
}

/**
 * The account's pending links that may still be confirmed: staff requests, and phone requests whose code was sent
 * at or after `codesSince` (older codes have expired). A household request the register did not confirm stays
 * listed (the adder withdraws it) but holds no place.
 */
export async function countPendingLinks(db: Db, accountId: string, codesSince: number): Promise<number> {
	const row = await db
		.selectFrom('member_links')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('account_id', '=', accountId)
		.where('status', '=', 'pending')
		.where((eb) => eb.or([eb('requested', '=', 'staff'), eb.and([eb('requested', '=', 'phone'), eb('created_at', '>=', codesSince)])]))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export type LinkToPerson = MemberLink & { adder_name: string | null; adder_id_masked: string | null };

/** Links (pending or confirmed) that other accounts hold or ask for to this person, with the adder's masked identity. */
export async function linksToPerson(db: Db, idHmac: string, exceptAccountId: string): Promise<LinkToPerson[]> {
	return db
		.selectFrom('member_links as l')
		.leftJoin('people as s', (j) =>
			j.onRef('s.account_id', '=', 'l.account_id').on('s.relation', '=', 'self').on('s.removed_at', 'is', null)
		)
		.selectAll('l')
		.select(['s.name_masked as adder_name', 's.id_masked as adder_id_masked'])
		.where('l.id_hmac', '=', idHmac)
		.where('l.account_id', '!=', exceptAccountId)
		.where('l.status', 'in', ['pending', 'confirmed'])
		.orderBy('l.created_at')
		.execute();
}

/** The pending requests for staff review, oldest first. */
export async function linksAwaitingStaff(db: Db, limit: number): Promise<(MemberLink & { adder_name: string | null })[]> {
	return db
		.selectFrom('member_links as l')
		.leftJoin('people as s', (j) =>
			j.onRef('s.account_id', '=', 'l.account_id').on('s.relation', '=', 'self').on('s.removed_at', 'is', null)
		)
		.selectAll('l')
		.select('s.name_masked as adder_name')
		.where('l.status', '=', 'pending')
		.where('l.requested', '=', 'staff')
		.orderBy('l.created_at')
		.limit(limit)
		.execute();
}

/** The confirmed link that made this people row, if any. */
export async function linkOfPerson(db: Db, personId: string): Promise<MemberLink | undefined> {
	return db.selectFrom('member_links').selectAll().where('person_id', '=', personId).where('status', '=', 'confirmed').executeTakeFirst();
}

/** Marks a pending link confirmed; true when this call did it (two confirmations racing: one wins). */
export async function confirmLinkRow(
	db: Db,
	id: string,
	x: { method: MemberLinkMethod; evidence: string | null; decidedBy: string; at: number; personId: string }
): Promise<boolean> {
	const r = await db
		.updateTable('member_links')
		.set({ status: 'confirmed', method: x.method, evidence: x.evidence, decided_by: x.decidedBy, decided_at: x.at, person_id: x.personId })
		.where('id', '=', id)
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export async function rejectLinkRow(db: Db, id: string, x: { evidence: string | null; decidedBy: string; at: number }): Promise<boolean> {
	const r = await db
		.updateTable('member_links')
		.set({ status: 'rejected', evidence: x.evidence, decided_by: x.decidedBy, decided_at: x.at })
		.where('id', '=', id)
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export async function removeLinkRow(db: Db, id: string, at: number, by: 'adder' | 'person'): Promise<void> {
	await db.updateTable('member_links').set({ status: 'removed', removed_at: at, removed_by: by }).where('id', '=', id).execute();
}

export async function insertLinkEvent(
	db: Db,
	e: { linkId: string; at: number; actor: string; action: string; note?: string | null }
): Promise<void> {
	await db
		.insertInto('member_link_events')
		.values({ link_id: e.linkId, at: e.at, actor: e.actor, action: e.action, note: e.note ?? null })
		.execute();
}

export async function linkEvents(db: Db, linkId: string) {
	return db.selectFrom('member_link_events').selectAll().where('link_id', '=', linkId).orderBy('id').execute();
}
