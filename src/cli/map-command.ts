/**
 * tongxing map districts FILE.geojson   replaces the console map's district outlines with an operator's file (all or nothing)
 * tongxing map density                  recounts the density layer's aggregate from the stored colours and home cells
 * The demo seed writes the demo city's outlines; real ones come from the region's surveying office as GeoJSON
 * (docs/console.md "Map").
 */
import { readFileSync } from 'node:fs';
import { issuer } from '../lib/server/app.js';
import { DomainError } from '../lib/server/domain-error.js';
import { importDistricts } from '../lib/server/map/districts.js';
import { rebuildDensity } from '../lib/server/store/map-density.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: tongxing map districts FILE.geojson | map density';

export async function mapCommand(argv: string[]): Promise<number> {
	const [sub, ...rest] = argv;
	if (sub === 'districts') {
		const [file, ...more] = rest;
		if (!file || more.length) throw new UsageError(USAGE);
		let doc: unknown;
		try {
			doc = JSON.parse(readFileSync(file, 'utf8'));
		} catch (e) {
			throw new UsageError(`cannot read ${file} as JSON${e instanceof SyntaxError ? `: ${e.message}` : ''}`);
		}
		try {
			const deps = await issuer();
			const r = await importDistricts(deps, doc);
			process.stdout.write(`${r.districts} district outlines imported; the console map draws them from now on\n`);
		} catch (e) {
			if (e instanceof DomainError && e.code === 'map/bad-districts') throw new UsageError(`${file}: ${e.detail ?? e.code}`);
			throw e;
		} finally {
			await closeDatabase();
		}
		return 0;
	}
	if (sub === 'density') {
		if (rest.length) throw new UsageError(USAGE);
		try {
			const deps = await issuer();
			const rows = await rebuildDensity(deps.db);
			process.stdout.write(`density layer recounted: ${rows} (cell, colour) rows\n`);
		} finally {
			await closeDatabase();
		}
		return 0;
	}
	throw new UsageError(USAGE);
}
