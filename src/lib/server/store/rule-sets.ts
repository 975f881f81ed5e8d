/**
 * rule_sets: the saved versions of the rules (core/rules/rules-schema.ts documents), one marked active, with who
 * saved it and when.
 */
import type { Db, Store } from './db.js';
import { transaction } from './db.js';
import type { RuleSetsTable } from './schema.js';
import type { Selectable } from 'kysely';

export type RuleSetRow = Pick<Selectable<RuleSetsTable>, 'id' | 'version' | 'rules_json' | 'saved_at' | 'saved_by'>;

/** The saved rule set marked active (the newest such), or undefined: the built-in defaults apply. */
export async function activeRuleSet(db: Db): Promise<RuleSetRow | undefined> {
	return db
		.selectFrom('rule_sets')
		.select(['id', 'version', 'rules_json', 'saved_at', 'saved_by'])
		.where('active', '=', 1)
		.orderBy('id', 'desc')
		.executeTakeFirst();
}

/** Saves a new version and makes it the only active one, atomically. A version saved before is a unique violation. */
export async function saveActiveRuleSet(
	db: Store,
	r: { version: string; rulesJson: string; savedAt: number; savedBy: string }
): Promise<void> {
	await transaction(db, async (tx) => {
		await tx.updateTable('rule_sets').set({ active: 0 }).where('active', '=', 1).execute();
		await tx
			.insertInto('rule_sets')
			.values({ version: r.version, rules_json: r.rulesJson, saved_at: r.savedAt, saved_by: r.savedBy, active: 1 })
			.execute();
	});
}

/** Whether a version was saved before (saving it again is refused). */
export async function ruleSetVersionExists(db: Db, version: string): Promise<boolean> {
	return (await db.selectFrom('rule_sets').select('id').where('version', '=', version).executeTakeFirst()) !== undefined;
}
