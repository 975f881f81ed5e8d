/**
 * The `tongxing` command. Usage errors print one line and exit 2; nothing prints a stack trace to a user.
 */
import { dataDir } from '../lib/server/config.js';
import { isDemo, setFirstStartHook } from '../lib/server/app.js';
import { seedDemo } from '../demo/seed-demo.js';
import { issueCommand } from './issue-command.js';
import { keysCommand } from './keys-command.js';
import { listsCommand } from './lists-command.js';
import { UsageError } from './usage-error.js';
import { verifyCommand } from './verify-command.js';
import { guardCommand, venueCommand } from './venue-command.js';
import { demoCommand } from './demo-command.js';
import { sourceCommand, staffCommand } from './people-command.js';
import { importCommand } from './import-command.js';
import { seedCommand } from './seed-command.js';
import { riskAreaCommand, rulesCommand } from './risk-area-command.js';
import { recolourCommand } from './recolour-command.js';

const USAGE = `usage: tongxing <command>
  verify [--trust-list FILE] [--status-list FILE]... [--root-key B64URL] [--at ISO-TIME] (TEXT | -)
  keys init [--region CODE] [--valid-days N] [--if-missing]   (demo: root and issuer keys on one machine)
  keys init --root-only --out DIR                              (offline machine: the root key pair)
  keys request [--region CODE] [--valid-days N] --out FILE     (server: issuer key if none; request for the offline root)
  keys sign-trust-list --root DIR --request FILE... --out FILE [--max-age-days 7]   (offline machine)
  keys install-trust-list FILE [--root-public-key FILE]        (server: verify against the pinned root, install)
  keys rotate [--region CODE] [--delay-hours 24] [--valid-days 365]
  keys compromise KID        (re-issues every live code it signed)
  keys list
  trust-list publish
  status-list publish [--region CODE] [--revoke CODE-ID]...
  issue --name NAME --id ID-NUMBER [--colour C] [--reason R]... [--kind phone|paper|proxy] [--at ISO-TIME] ...
  venue add --name NAME [--region CODE] [--policy green-only|green-negative-48h|green-negative-72h|yellow-with-registration]
  guard enrol VENUE-ID       (prints the scanner's enrolment code)
  guard revoke DEVICE-ID     (a lost or stolen scanner: its uploads are refused)
  demo                       (demo identities and where one-time codes appear)
  staff add USERNAME [--password-stdin] | staff disable USERNAME (its sessions end at once)
  source add public-security|carrier|health   (prints the source's API key once)
  source list | source revoke KEY-ID
  import SOURCE FILE --kind KIND [--encoding utf-8|gbk|gb18030] [--format csv|json]
                             (all or nothing; kinds in docs/data-sources.md; recolours affected residents)
  seed [--residents 10000] [--seed S] [--if-empty]   (the synthetic demo city; prints identities per colour)
  risk-area add --name N --level high|medium (--polygon '[[lon,lat],…]' | --cells ID,… | --file F) --from ISO [--until ISO]
  risk-area end ID [--at ISO] | risk-area list      (recolours the residents the area affects)
  rules show | preview FILE | save FILE            (rule sets, docs/rules.md; save recolours who changes)
  recolour --due [--batch 1000]   (re-evaluates colours whose hold, order or look-back ran out; the server does it every minute)
Data directory: DATA_DIR (default ./data); DATABASE_URL selects PostgreSQL.`;

const COMMANDS: Record<string, (argv: string[], dataDir: string, nowMs: number) => Promise<number>> = {
	verify: verifyCommand,
	keys: keysCommand,
	issue: issueCommand,
	'trust-list': listsCommand('trust-list'),
	'status-list': listsCommand('status-list'),
	venue: venueCommand,
	guard: guardCommand,
	demo: demoCommand,
	staff: staffCommand,
	source: sourceCommand,
	import: importCommand,
	seed: seedCommand,
	'risk-area': riskAreaCommand,
	rules: rulesCommand,
	recolour: recolourCommand
};

export async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	const command = name ? COMMANDS[name] : undefined;
	if (!command) {
		process.stderr.write(USAGE + '\n');
		return name === undefined || name === '--help' || name === 'help' ? (name ? 0 : 2) : 2;
	}
	// as the server does at start (hooks.server.ts): in demo mode the first issuer() call seeds the demo data, so
	// e.g. `tongxing guard enrol demo-library` works on a fresh data directory
	if (isDemo()) setFirstStartHook(seedDemo);
	try {
		return await command(rest, dataDir(), Date.now());
	} catch (e) {
		// parseArgs reports unknown or malformed flags as TypeError with an ERR_PARSE_ARGS_* code.
		const code = (e as { code?: unknown }).code;
		if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
			process.stderr.write(`tongxing ${name}: ${(e as Error).message}\n`);
			return 2;
		}
		process.stderr.write(`tongxing ${name}: failed: ${e instanceof Error ? e.message : String(e)}\n`);
		return 1;
	}
}
