/**
 * tongxing recolour --due [--batch N]
 * Re-evaluates the residents whose colour may have changed with time alone (resident_colours.review_at ≤ now:
 * a hold or quarantine order ended, an exposure aged out), as the server does every minute
 * (src/lib/server/recolour/review-due.ts), actor `system/review`. Idempotent: a second run finds nothing due.
 */
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { REVIEW_BATCH, reviewDue } from '../lib/server/recolour/review-due.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: tongxing recolour --due [--batch N]';

export async function recolourCommand(argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { due: { type: 'boolean' }, batch: { type: 'string' } }
	});
	if (!values.due || positionals.length > 0) throw new UsageError(USAGE);
	const batch = values.batch === undefined ? REVIEW_BATCH : Number(values.batch);
	if (!Number.isSafeInteger(batch) || batch < 1 || batch > 100_000) throw new UsageError('--batch must be a whole number from 1 to 100000');
	try {
		const r = await reviewDue(await issuer(), { batch });
		const t = Object.entries(r.transitions)
			.map(([k, n]) => `${k} ${n}`)
			.join(', ');
		process.stdout.write(
			`${r.due} residents due for review; ${r.changed} changed colour${t ? ` (${t})` : ''}, ${r.codesIssued} got new codes, in ${r.ms} ms\n`
		);
		return 0;
	} finally {
		await closeDatabase();
	}
}
