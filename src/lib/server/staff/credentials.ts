/**
 * The console's view of withdrawable credentials (issue 13, "credentials have a lifecycle"): guard devices and
 * data-source keys, with status and who revoked them, and the revocations themselves — the same services as
 * `tongxing guard revoke` / `source revoke`, attributed to the staff member (`staff/ID`, kept with the row and
 * shown by username).
 */
import type { CredentialsResponse, Revoked } from '../../core/contract/console.js';
import { DomainError } from '../domain-error.js';
import type { IssuerDeps } from '../deps.js';
import { revokeGuard } from '../scans/guards.js';
import { listSourceKeys, revokeSourceKey } from '../sources/sources.js';
import { listGuardDevices } from '../store/guard-devices.js';
import { staffById } from '../store/staff.js';
import { transaction } from '../store/db.js';
import { recordStaffAction } from '../audit/record-staff-action.js';

/** `staff/ID` → the username (still shown after the account is disabled); anything else as stored. */
async function actorNames(db: IssuerDeps['db'], actors: Iterable<string | null>): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	for (const a of new Set(actors)) {
		if (a === null || names.has(a)) continue;
		const id = a.startsWith('staff/') ? a.slice('staff/'.length) : null;
		names.set(a, (id && (await staffById(db, id))?.username) || a);
	}
	return names;
}

export async function listCredentials(deps: IssuerDeps): Promise<CredentialsResponse> {
	const [guards, keys] = [await listGuardDevices(deps.db), await listSourceKeys(deps.db)];
	const names = await actorNames(deps.db, [...guards.map((g) => g.revoked_by), ...keys.map((k) => k.revoked_by)]);
	const by = (a: string | null) => (a === null ? null : (names.get(a) ?? a));
	return {
		guards: guards.map((g) => ({
			id: g.id,
			venueId: g.venue_id,
			venueName: g.venue_name,
			enrolledAt: g.created_at,
			lastSyncAt: g.last_sync_at,
			status: g.revoked_at === null ? 'active' : 'revoked',
			revokedAt: g.revoked_at,
			revokedBy: by(g.revoked_by)
		})),
		sourceKeys: keys.map((k) => ({
			id: k.id,
			source: k.source,
			createdAt: k.created_at,
			status: k.revoked_at === null ? 'active' : 'revoked',
			revokedAt: k.revoked_at,
			revokedBy: by(k.revoked_by)
		}))
	};
}

/**
 * Revokes a guard device or a source key for a staff member; the answer carries the (first) revocation time.
 * Audited with the revocation (`device.revoke`, `source-key.revoke`) in the same transaction.
 */
export async function revokeCredential(deps: IssuerDeps, kind: 'guard' | 'source-key', id: string, staffId: string): Promise<Revoked> {
	const now = deps.clock();
	const actor = (await staffById(deps.db, staffId))?.username ?? `staff/${staffId}`;
	try {
		await transaction(deps.db, async (tx) => {
			if (kind === 'guard') await revokeGuard(tx, id, now, `staff/${staffId}`);
			else await revokeSourceKey(tx, id, now, `staff/${staffId}`);
			await recordStaffAction(tx, { actor, action: kind === 'guard' ? 'device.revoke' : 'source-key.revoke', target: id, at: now });
		});
	} catch (e) {
		if (e instanceof RangeError) throw new DomainError('credential/not-found');
		throw e;
	}
	const list = await listCredentials(deps);
	const row = kind === 'guard' ? list.guards.find((g) => g.id === id) : list.sourceKeys.find((k) => k.id === id);
	return { id, revokedAt: row?.revokedAt ?? now };
}
