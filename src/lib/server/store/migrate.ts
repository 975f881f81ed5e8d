/**
 * Versioned migrations (Kysely's Migrator), run by openDatabase() at every start.
 *
 * The migrations are a static record, not a folder read at run time: the server is bundled by Vite, so there
 * is no migrations directory to glob in build/. To add one: write migrations/NNN-name.ts exporting a
 * `Migration`, add it below under the key 'NNN-name' (keys run in lexicographic order, so keep the zero
 * padding) and update schema.ts. Never edit a migration that has shipped.
 *
 * Several app instances may start at once: on PostgreSQL Kysely holds an advisory lock while migrating; on
 * SQLite the migration transaction begins IMMEDIATE (open.ts), so a second process waits (busy_timeout) and
 * then finds nothing left to do.
 *
 * Each run is one transaction on both engines (open.ts tells Kysely that SQLite DDL is transactional), so a
 * failing migration leaves nothing half-applied. Consequence for SQLite table rebuilds (its way to change a
 * column or constraint): `PRAGMA foreign_keys = OFF` has no effect inside a transaction, and
 * `defer_foreign_keys` does not help either (dropping a referenced table counts violations the rename cannot
 * undo): open.ts runs the migrations with foreign keys off and runs `PRAGMA foreign_key_check` before turning
 * them on (a violation refuses the start). PostgreSQL: `CREATE INDEX CONCURRENTLY` cannot run
 * in a transaction either; plain CREATE INDEX is fine at our sizes.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { migration001 } from './migrations/001-initial';
import { migration002 } from './migrations/002-issuer';
import { migration003 } from './migrations/003-perf';
import { migration004 } from './migrations/004-facts';
import { migration005 } from './migrations/005-review-at';
import { migration006 } from './migrations/006-area-scan';
import { migration008 } from './migrations/008-cell-sites';
import { migration009 } from './migrations/009-status-exp';
import { migration010 } from './migrations/010-append-only-audit';
import { migration011 } from './migrations/011-proposals';
import { migration012 } from './migrations/012-member-consent';
import { migration013 } from './migrations/013-secrets';
import { migration014 } from './migrations/014-import-staging';
import { migration015 } from './migrations/015-explanations';
import { migration016 } from './migrations/016-scan-registration';
import { migration017 } from './migrations/017-id-number-reads';
import { migration019 } from './migrations/019-case-course';
import { migration020 } from './migrations/020-staff-audit';
import { migration021 } from './migrations/021-federation-trust';
import { migration022 } from './migrations/022-federation-facts';
import { migration023 } from './migrations/023-map';
import { migration024 } from './migrations/024-appeal-outcomes';
import { migration025 } from './migrations/025-tracing-indexes';
import { migration026 } from './migrations/026-overview';
import { migration027 } from './migrations/027-staff-roles';
import { migration029 } from './migrations/029-history-explanations';
import { migration034 } from './migrations/034-candidate-scans';
import type { Database } from './schema';

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
	'001-initial': migration001,
	'002-issuer': migration002,
	'003-perf': migration003,
	'004-facts': migration004,
	'005-review-at': migration005,
	'006-area-scan': migration006,
	'008-cell-sites': migration008,
	'009-status-exp': migration009,
	'010-append-only-audit': migration010,
	'011-proposals': migration011,
	'012-member-consent': migration012,
	'013-secrets': migration013,
	'014-import-staging': migration014,
	'015-explanations': migration015,
	'016-scan-registration': migration016,
	'017-id-number-reads': migration017,
	'019-case-course': migration019,
	'020-staff-audit': migration020,
	'021-federation-trust': migration021,
	'022-federation-facts': migration022,
	'023-map': migration023,
	'024-appeal-outcomes': migration024,
	'025-tracing-indexes': migration025,
	'026-overview': migration026,
	'027-staff-roles': migration027,
	'029-history-explanations': migration029,
	'034-candidate-scans': migration034
});

class StaticMigrationProvider implements MigrationProvider {
	getMigrations(): Promise<Record<string, Migration>> {
		return Promise.resolve({ ...MIGRATIONS });
	}
}

export class MigrationError extends Error {
	override readonly name = 'MigrationError';
}

/**
 * Brings the schema to the latest version. `schema`: the PostgreSQL schema that holds the tables (and Kysely's
 * kysely_migration bookkeeping); undefined for SQLite. Returns the names of the migrations it applied.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<string[]> {
	const migrator = new Migrator({
		db,
		provider: new StaticMigrationProvider(),
		...(schema === undefined ? {} : { migrationTableSchema: schema })
	});
	const { error, results } = await migrator.migrateToLatest();
	if (error !== undefined) {
		const failed = results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName;
		const which = failed === undefined ? 'database migration' : `database migration ${failed}`;
		throw new MigrationError(`${which} failed: ${describe(error)}`, { cause: error });
	}
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
