/**
 * The one codes query `tongxing status-list publish --revoke` needs (mark codes revoked), kept apart from the
 * codes repository that another branch creates (store/codes.ts): fold it in there when both are merged.
 */
import type { Db } from './db.js';

export async function markCodesRevoked(db: Db, codeIds: string[], revokedAt: number): Promise<void> {
	await db.updateTable('codes').set({ status: 'revoked', revoked_at: revokedAt }).where('code_id', 'in', codeIds).execute();
}
