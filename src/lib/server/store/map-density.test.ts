/**
 * The console map's density aggregate (migration 023, map-density.ts) on both engines (PostgreSQL when
 * TEST_DATABASE_URL is set, a fresh schema dropped afterwards): every colour write moves each resident's count from
 * the old colour to the new one in their home cell (grid −1 without one), so the aggregate always equals a full
 * recount; the district outlines are replaced all at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenOptions } from './open';
import { densityRows, NO_PLACE, rebuildDensity, upsertResidentPlaces } from './map-density';
import { writeColours, type ColourChange } from './resident-colours';
import { mapDistricts, replaceDistricts, insertDistrictsIfNone, type DistrictRow } from './map-layers';

const PG_URL = process.env.TEST_DATABASE_URL || undefined;
const T0 = 1_767_225_600_123;
const dirs: string[] = [];
const schemas: string[] = [];

const engines: [string, () => OpenOptions][] = [
	[
		'sqlite',
		() => {
			const dir = mkdtempSync(join(tmpdir(), 'tongxing-map-'));
			dirs.push(dir);
			return { dataDir: dir };
		}
	],
	...(PG_URL
		? ([
				[
					'postgres',
					() => {
						const schema = `tx_map_${process.pid}_${schemas.length}_${Date.now().toString(36)}`;
						schemas.push(schema);
						return { databaseUrl: PG_URL, pgSchema: schema };
					}
				]
			] as [string, () => OpenOptions][])
		: [])
];

afterAll(async () => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
	if (!PG_URL || !schemas.length) return;
	const client = new pg.Client({ connectionString: PG_URL });
	await client.connect();
	try {
		for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
	} finally {
		await client.end();
	}
});

const change = (ref: string, colour: string, previous: string | null = null): ColourChange => ({
	ref,
	colour,
	previous,
	reasons: [],
	ruleVersion: 'v1',
	factsUsed: [],
	reviewAt: null
});
const asMap = (rows: { grid: number; colour: string; residents: number }[]): Record<string, number> =>
	Object.fromEntries(rows.map((r): [string, number] => [`${r.grid}/${r.colour}`, r.residents]));

const district = (code: string): DistrictRow => ({
	code,
	name_zh: code,
	name_en: code,
	geometry_json: '{"type":"Polygon","coordinates":[[[114,22],[114.1,22],[114.1,22.1],[114,22]]]}',
	bbox_west: 114,
	bbox_south: 22,
	bbox_east: 114.1,
	bbox_north: 22.1,
	source: 'demo',
	updated_at: T0
});

describe.each(engines)('map store (%s)', (_name, fresh) => {
	it('every colour write moves the residents between colours in their cell; a recount gives the same', async () => {
		const opened = await openDatabase(fresh());
		const db = opened.db;
		try {
			await upsertResidentPlaces(
				db,
				[
					['a', 1001],
					['b', 1001],
					['c', 2002]
				],
				T0
			);
			// first evaluation: everyone counted once, d (no home cell) under grid −1
			await writeColours(db, [change('a', 'green'), change('b', 'green'), change('c', 'red'), change('d', 'yellow')], T0, 'test');
			expect(asMap(await densityRows(db))).toEqual({ '1001/green': 2, '2002/red': 1, [`${NO_PLACE}/yellow`]: 1 });
			// a recolour: a green → red; b written again with the same colour (reasons changed) moves nothing
			await writeColours(db, [change('a', 'red', 'green'), change('b', 'green', 'green')], T0 + 1, 'test');
			const incremental = asMap(await densityRows(db));
			expect(incremental).toEqual({ '1001/green': 1, '1001/red': 1, '2002/red': 1, [`${NO_PLACE}/yellow`]: 1 });
			// the caller's `previous` is not trusted: the stored colour is (c is red, whatever the change says)
			await writeColours(db, [change('c', 'green', null)], T0 + 2, 'test');
			expect(asMap(await densityRows(db))).toMatchObject({ '2002/green': 1 });
			expect(asMap(await densityRows(db))['2002/red']).toBeUndefined();
			const before = asMap(await densityRows(db));
			expect(await rebuildDensity(db)).toBe(4);
			expect(asMap(await densityRows(db))).toEqual(before);
		} finally {
			await opened.close();
		}
	});

	it('district outlines: the seed writes them only when there are none; an import replaces them all', async () => {
		const opened = await openDatabase(fresh());
		const db = opened.db;
		try {
			expect(await insertDistrictsIfNone(db, [district('440304'), district('440305')])).toBe(true);
			expect(await insertDistrictsIfNone(db, [district('440306')])).toBe(false);
			expect((await mapDistricts(db)).map((d) => d.code)).toEqual(['440304', '440305']);
			await replaceDistricts(db, [district('440303')]);
			expect((await mapDistricts(db)).map((d) => d.code)).toEqual(['440303']);
		} finally {
			await opened.close();
		}
	});
});
