/**
 * tongxing recolour --due [--batch N]
 * Re-evaluates the residents whose colour may have changed with time alone (resident_colours.review_at ≤ now:
 * a hold or quarantine order ended, an exposure aged out), as the server does every minute
 * (src/lib/server/recolour/review-due.ts), actor `system/review`. Idempotent: a second run finds nothing due.
 * tongxing recolour --all
 * Re-evaluates every resident with the active rules — the same run a rules save makes (rule-sets.ts
 * recolourEveryone), without a new rule version; progress on stderr; each change audited with actor `cli`.
 */
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { REVIEW_BATCH, reviewDue } from '../lib/server/recolour/review-due.js';
import { recolourEveryone } from '../lib/server/recolour/rule-sets.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: tongxing recolour --due [--batch N] | recolour --all';

export async function recolourCommand(argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { due: { type: 'boolean' }, all: { type: 'boolean' }, batch: { type: 'string' } }
	});
	if (values.due === values.all || positionals.length > 0) throw new UsageError(USAGE);
	if (values.all) {
		if (values.batch !== undefined) throw new UsageError('--batch is for --due');
		return recolourAll();
	}
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

async function recolourAll(): Promise<number> {
	const tty = process.stderr.isTTY;
	let last = 0;
	const progress = (done: number, total: number) => {
		// a line per ~5 % (or the end) when not a terminal, so a log is not flooded
		if (!tty && done < total && done - last < Math.max(1, total / 20)) return;
		last = done;
		process.stderr.write(`${tty ? '\r' : ''}recolour: ${done}/${total} residents${tty ? '   ' : '\n'}`);
	};
	try {
		const r = await recolourEveryone(await issuer(), 'cli', progress);
		if (tty) process.stderr.write('\n');
		const t = Object.entries(r.transitions)
			.map(([k, n]) => `${k} ${n}`)
			.join(', ');
		process.stdout.write(
			`re-evaluated ${r.evaluated} residents with rules ${r.ruleVersion}; ${r.changed} changed colour${t ? ` (${t})` : ''}, ${r.codesIssued} got new codes, in ${r.ms} ms\n`
		);
		return 0;
	} finally {
		await closeDatabase();
	}
}
