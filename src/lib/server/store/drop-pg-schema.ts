/**
 * Drops a PostgreSQL schema and everything in it: for tests that open a fresh schema per run (openDatabase's
 * pgSchema) and must not leave it behind on the shared test database. Lives in the store, the one folder that
 * talks to the driver.
 */
import pg from 'pg';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
	if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(`drop schema if exists "${schema}" cascade`);
	} finally {
		await client.end();
	}
}
