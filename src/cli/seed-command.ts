/**
 * tongxing seed [--residents N] [--seed S] [--if-empty]
 * Builds the synthetic demo city (src/demo/seed-city.ts) and prints one identity per colour to sign
 * in with. `--if-empty` (used by `npm start`): do nothing when the database already holds a city.
 */
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { isSeeded, seedCity } from '../demo/seed-city.js';
import { DEMO_APPROVER, DEMO_STAFF } from '../demo/seed-staff.js';
import { UsageError } from './usage-error.js';

export async function seedCommand(argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: { residents: { type: 'string' }, seed: { type: 'string' }, 'if-empty': { type: 'boolean' } }
	});
	const residents = values.residents === undefined ? undefined : Number(values.residents.replace(/_/g, ''));
	if (residents !== undefined && !(Number.isInteger(residents) && residents >= 10 && residents <= 5_000_000))
		throw new UsageError('--residents must be an integer from 10 to 5000000');
	try {
		const deps = await issuer();
		if (await isSeeded(deps)) {
			if (values['if-empty']) return 0;
			throw new UsageError('the database already holds a city; use a fresh DATA_DIR (or database) to seed again');
		}
		const tty = process.stderr.isTTY;
		const out = await seedCity(deps, {
			...(residents ? { residents } : {}),
			...(values.seed ? { seed: values.seed } : {}),
			onProgress: (stage, done, total) => process.stderr.write(`${tty ? '\r' : ''}seed: ${stage} ${done}/${total}${tty ? '   ' : '\n'}`)
		});
		if (tty) process.stderr.write('\n');
		const colours = Object.entries(out.colours)
			.map(([c, n]) => `${c} ${n}`)
			.join(', ');
		const lines = [
			`Demo city: ${out.residents} residents in ${out.households} households, ${out.trajectoryPoints} trajectory points, ${out.venues} venues, ${out.riskAreas} risk areas (${(out.ms.generateAndWrite / 1000).toFixed(1)} s to write, ${(out.ms.evaluate / 1000).toFixed(1)} s to evaluate from the ${out.evaluatedFrom})`,
			`Colours: ${colours}`,
			'Sign in as / 演示身份：',
			...out.personas.map(
				(p) =>
					`  ${p.colour.padEnd(6)} ${p.name}  ${p.idNumber}  ${p.phone ? `phone ${p.phone}` : '(no phone: add as a family member)'}  ${p.reasons.join(', ')}`
			),
			...(deps.config.demo
				? [
						`Console / 管理控制台 (/console): username ${DEMO_STAFF.username}  password ${DEMO_STAFF.password}  approver / 审批人: username ${DEMO_APPROVER.username}  password ${DEMO_APPROVER.password}`
					]
				: [])
		];
		process.stdout.write(lines.join('\n') + '\n');
		return 0;
	} finally {
		await closeDatabase();
	}
}
