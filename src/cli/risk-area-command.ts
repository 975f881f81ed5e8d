/**
 * tongxing risk-area add --name NAME --level high|medium (--polygon '[[lon,lat],…]' | --cells ID,ID… | --file AREA.json) --from ISO [--until ISO]
 * tongxing risk-area end ID [--at ISO]
 * tongxing risk-area list
 * tongxing rules show | preview FILE | save FILE
 * Each change recolours exactly the residents it affects (src/lib/server/recolour), actor `cli`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { DomainError } from '../lib/server/domain-error.js';
import { errorTitle } from '../lib/server/error-title.js';
import { createRiskArea, endRiskArea, listRiskAreas } from '../lib/server/recolour/risk-areas.js';
import { getActiveRules, previewRules, saveRules } from '../lib/server/recolour/rule-sets.js';
import { parseIsoTime } from './parse-time.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage: tongxing risk-area add --name NAME --level high|medium (--polygon JSON | --cells ID,… | --file AREA.json) --from ISO-TIME [--until ISO-TIME]
       tongxing risk-area end ID [--at ISO-TIME]
       tongxing risk-area list`;

/** Service errors (bad input) become usage errors with every field listed. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof DomainError) {
			const fields = (e.errors ?? []).map((x) => `\n  ${x.field}: ${x.message.en}`).join('');
			throw new UsageError(`${errorTitle(e.code, e.params)}${fields}`);
		}
		throw e;
	} finally {
		await closeDatabase();
	}
}

function readJsonFile(file: string): unknown {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as unknown;
	} catch (e) {
		throw new UsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
	}
}

export async function riskAreaCommand(argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const [sub, ...rest] = argv;
	if (sub === 'list') {
		const areas = await run(async () => listRiskAreas(await issuer()));
		for (const a of areas)
			process.stdout.write(
				`${a.id}  ${a.level.padEnd(6)}  ${a.active ? 'active' : 'inactive'}  ${a.from} → ${a.until ?? '…'}  ${a.name}\n`
			);
		return 0;
	}
	if (sub === 'end') {
		const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { at: { type: 'string' } } });
		if (positionals.length !== 1) throw new UsageError(USAGE);
		const at = values.at === undefined ? undefined : parseIsoTime(values.at, '--at');
		const out = await run(async () => endRiskArea(await issuer(), positionals[0]!, 'cli', at));
		process.stdout.write(`ended ${out.id}; re-evaluated ${out.recoloured.evaluated} residents, ${out.recoloured.changed} changed colour\n`);
		return 0;
	}
	if (sub !== 'add') throw new UsageError(USAGE);
	const { values } = parseArgs({
		args: rest,
		options: {
			name: { type: 'string' },
			level: { type: 'string' },
			polygon: { type: 'string' },
			cells: { type: 'string' },
			file: { type: 'string' },
			from: { type: 'string' },
			until: { type: 'string' }
		}
	});
	let doc: Record<string, unknown>;
	if (values.file) {
		const d = readJsonFile(values.file);
		if (typeof d !== 'object' || d === null || Array.isArray(d))
			throw new UsageError(`${values.file}: expected a JSON object {name, level, polygon | cells, from, until?}`);
		doc = d as Record<string, unknown>;
	} else {
		let polygon: unknown;
		if (values.polygon !== undefined) {
			try {
				polygon = JSON.parse(values.polygon);
			} catch {
				throw new UsageError('--polygon must be JSON: [[lon,lat],[lon,lat],[lon,lat],…]');
			}
		}
		doc = {
			name: values.name,
			level: values.level,
			...(polygon !== undefined ? { polygon } : {}),
			...(values.cells !== undefined ? { cells: values.cells.split(',').map((c) => c.trim()) } : {}),
			from: values.from,
			...(values.until !== undefined ? { until: values.until } : {})
		};
	}
	const out = await run(async () => createRiskArea(await issuer(), doc, 'cli'));
	const t = Object.entries(out.recoloured.transitions)
		.map(([k, n]) => `${k} ${n}`)
		.join(', ');
	process.stdout.write(
		`risk area ${out.id} added; re-evaluated ${out.recoloured.evaluated} residents in ${out.recoloured.ms} ms, ${out.recoloured.changed} changed colour${t ? ` (${t})` : ''}\n`
	);
	return 0;
}

export async function rulesCommand(argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const [sub, file, ...extra] = argv;
	if (extra.length || (sub !== 'show' && !((sub === 'preview' || sub === 'save') && file)))
		throw new UsageError('usage: tongxing rules show | preview FILE | save FILE');
	if (sub === 'show') {
		const r = await run(async () => getActiveRules(await issuer()));
		process.stdout.write(JSON.stringify(r, null, '\t') + '\n');
		return 0;
	}
	const doc = readJsonFile(file!);
	if (sub === 'preview') {
		const d = await run(async () => previewRules(await issuer(), doc));
		process.stdout.write(
			`${d.fromVersion} → ${d.toVersion}: ${d.changed} of ${d.total} residents would change colour ${JSON.stringify(d.transitions)}; before ${JSON.stringify(d.before)}, after ${JSON.stringify(d.after)}\n`
		);
		return 0;
	}
	const s = await run(async () => saveRules(await issuer(), doc, 'cli'));
	process.stdout.write(
		`rules ${s.version} saved and active; ${s.recoloured.changed} of ${s.recoloured.evaluated} residents changed colour\n`
	);
	return 0;
}
