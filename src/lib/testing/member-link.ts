/**
 * Service tests that need a member held by an account (codes versions, revocation, issuance) link one the way a
 * relative without a phone would be: a staff-review request, approved with recorded evidence
 * (server/issuer/member-links.ts). Returns the member's people id under that account.
 */
import type { IssuerDeps } from '../server/deps.js';
import { addMember, approveLink } from '../server/issuer/member-links.js';

export async function linkMemberByStaff(
	deps: IssuerDeps,
	accountId: string,
	member: { name: string; idNumber: string; idType?: string }
): Promise<{ personId: string; linkId: string }> {
	const { linkId } = await addMember(deps, accountId, { ...member, evidence: { method: 'staff', note: 'test' } }, '127.0.0.1');
	await approveLink(deps, 'test-staff', linkId, 'ID card and signed consent form seen at the counter');
	const { memberLink } = await import('../server/store/member-links.js');
	return { personId: (await memberLink(deps.db, linkId))!.person_id!, linkId };
}
