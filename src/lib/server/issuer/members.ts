/**
 * Family and proxy members: an elderly relative or a child whose code the account holder presents. Adding one is
 * a member link (member-links.ts) that shows nothing until evidence confirms it; at most `maxMembers` per account
 * (confirmed and pending together). Removing one revokes its codes.
 */
import { DomainError } from '../domain-error.js';
import { transaction } from '../store/db.js';
import { memberOfAccount } from '../store/people.js';
import type { IssuerDeps } from '../deps.js';
import { dropMember, endLinkOfPerson } from './member-links.js';

export { addMember } from './member-links.js';

export async function removeMember(deps: IssuerDeps, accountId: string, personId: string): Promise<void> {
	const now = deps.clock();
	await transaction(deps.db, async (tx) => {
		const person = await memberOfAccount(tx, accountId, personId);
		if (!person) throw new DomainError('member/not-found');
		await endLinkOfPerson(tx, personId, accountId, now);
		await dropMember(deps, tx, accountId, personId);
	});
}
