/**
 * `tongxing map districts FILE` and `tongxing map density` as an operator runs them: a bad file is refused with the
 * feature named (exit 2) and nothing is stored; a good one replaces the outlines the console map draws.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../lib/server/store/open.js';
import { mapDistricts } from '../lib/server/store/map-layers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/tongxing.js');
let dataDir = '';

async function tx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir } });
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}

/** The stored outlines' codes, read through the repository (the CLI has exited: the file is ours alone). */
async function codes(): Promise<string[]> {
	const opened = await openDatabase({ dataDir, databaseUrl: '' });
	try {
		return (await mapDistricts(opened.db)).map((r) => r.code);
	} finally {
		await opened.close();
	}
}

beforeAll(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'tongxing-map-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('tongxing map', () => {
	it('imports district outlines all or nothing, and recounts the density layer', async () => {
		const ring = [
			[114, 22.5],
			[114.1, 22.5],
			[114.1, 22.6],
			[114, 22.5]
		];
		const good = join(dataDir, 'good.geojson');
		const bad = join(dataDir, 'bad.geojson');
		const feature = (code: string) => ({
			type: 'Feature',
			properties: { code, name: code },
			geometry: { type: 'Polygon', coordinates: [ring] }
		});
		writeFileSync(good, JSON.stringify({ type: 'FeatureCollection', features: [feature('440304'), feature('440305')] }));
		writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [feature('440306'), feature('44030')] }));

		const refused = await tx(['map', 'districts', bad]);
		expect([refused.code, refused.stderr.trim()]).toEqual([
			2,
			`tongxing map: ${bad}: feature 1: properties.code must be a six-digit GB/T 2260 code`
		]);
		expect(await codes()).toEqual([]);

		const ok = await tx(['map', 'districts', good]);
		expect([ok.code, ok.stdout.trim()]).toEqual([0, '2 district outlines imported; the console map draws them from now on']);
		expect(await codes()).toEqual(['440304', '440305']);

		const density = await tx(['map', 'density']);
		expect(density.code).toBe(0);
		expect(density.stdout).toMatch(/^density layer recounted: \d+ \(cell, colour\) rows/);
		expect((await tx(['map', 'frob'])).code).toBe(2);
	}, 120_000);
});
