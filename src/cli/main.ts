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
import { coloursCommand } from './colours-command.js';
import { mapCommand } from './map-command.js';
import { COMMAND_HELP, helpFor, wantsHelp } from './help.js';
import { federationCommand } from './federation-command.js';
import { backupCommand } from './backup-command.js';
import { restoreCommand } from './restore-command.js';

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
  staff add USERNAME [--role viewer|officer|approver|admin] [--password-stdin] | staff role USERNAME ROLE
  staff disable USERNAME     (its sessions end at once)
  source add public-security|carrier|health   (prints the source's API key once)
  source list | source revoke KEY-ID
  import SOURCE FILE --kind KIND [--encoding utf-8|gbk|gb18030] [--format csv|json]
                             (all or nothing; kinds in docs/data-sources.md; recolours affected residents)
  seed [--residents 10000] [--seed S] [--if-empty]   (the synthetic demo city; prints identities per colour)
  risk-area add --name N --level high|medium (--polygon '[[lon,lat],…]' | --cells ID,… | --file F) --from ISO [--until ISO]
  risk-area end ID [--at ISO] | risk-area list      (recolours the residents the area affects)
  rules show | preview FILE | save FILE            (rule sets, docs/rules.md; save recolours who changes)
  recolour --due [--batch 1000]   (re-evaluates colours whose hold, order or look-back ran out; the server does it every minute)
  recolour --all                  (re-evaluates everyone with the active rules; progress on stderr)
  colours [--colour C]... [--reason R]... [--format csv|json] [--ids FILE --purpose TEXT]   (residents' colours, streamed)
  map districts FILE.geojson | map density   (the console map's district outlines; recount its density layer)
  federation root-init|region-request|gateway-request|certify|revoke|install|publish|mirror|demo   (issue 14, docs/federation.md)
  backup DIR [--keys FILE] [--no-keys] [--passphrase-stdin]    (while the server runs; keys encrypted apart, docs/drills.md)
  restore DIR [--keys FILE] [--no-keys] [--passphrase-stdin]   (into a fresh DATA_DIR; verifies against the backup's manifest)
Every command and subcommand takes --help (-h): usage, options, an example.
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
	recolour: recolourCommand,
	colours: coloursCommand,
	map: mapCommand,
	federation: federationCommand,
	backup: backupCommand,
	restore: restoreCommand
};

/**
 * Commands (or "command subcommand") that read their arguments by hand, not with parseArgs, and the options they
 * take: any other `--option` is refused here as parseArgs would refuse it, so every command reports an unknown
 * option the same way. (Single-dash words pass: key and code ids are base64url and may start with '-'.)
 */
const HAND_PARSED: Record<string, readonly string[]> = {
	staff: ['--password-stdin', '--role'],
	source: [],
	guard: [],
	rules: [],
	demo: [],
	'trust-list': [],
	'keys list': [],
	'keys compromise': [],
	'risk-area list': [],
	map: []
};

/** parseArgs' errors (ERR_PARSE_ARGS_*) in one line that names the option, e.g. "unknown option --frob". */
function parseArgsMessage(e: Error & { code: string }): string {
	const quoted = /'([^']+)'/.exec(e.message)?.[1];
	if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted ?? e.message}`;
	if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${quoted ?? ''}`.trim();
	// "Option '--kind <value>' argument missing", "Option '--due' does not take an argument", "… is ambiguous"
	return e.message.split('. ')[0]!.replace(/\.$/, '');
}

export async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	const command = name ? COMMANDS[name] : undefined;
	if (name === '--help' || name === '-h' || name === 'help') {
		// `tongxing help import` = `tongxing import --help`
		const help = rest[0] && COMMANDS[rest[0]] ? helpFor(rest[0], rest.slice(1)) : undefined;
		process.stdout.write((help ?? USAGE) + '\n');
		return 0;
	}
	if (!command) {
		process.stderr.write(name === undefined ? USAGE + '\n' : `tongxing: unknown command ${name}; see tongxing --help\n`);
		return 2;
	}
	if (wantsHelp(rest)) {
		process.stdout.write((helpFor(name!, rest) ?? USAGE) + '\n');
		return 0;
	}
	// as the server does at start (hooks.server.ts): in demo mode the first issuer() call seeds the demo data, so
	// e.g. `tongxing guard enrol demo-library` works on a fresh data directory
	if (isDemo()) setFirstStartHook(seedDemo);
	const sub = rest[0] !== undefined && COMMAND_HELP[`${name} ${rest[0]}`] ? ` ${rest[0]}` : '';
	const allowed = HAND_PARSED[`${name}${sub}`] ?? HAND_PARSED[name!];
	const unknown = allowed && rest.find((a) => a.startsWith('--') && a !== '--' && !allowed.includes(a));
	if (unknown) {
		process.stderr.write(`tongxing ${name}: unknown option ${unknown}; see tongxing ${name}${sub} --help\n`);
		return 2;
	}
	try {
		return await command(rest, dataDir(), Date.now());
	} catch (e) {
		// parseArgs reports unknown or malformed flags as TypeError with an ERR_PARSE_ARGS_* code.
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
			process.stderr.write(`tongxing ${name}: ${parseArgsMessage(e as Error & { code: string })}; see tongxing ${name}${sub} --help\n`);
			return 2;
		}
		if (e instanceof UsageError) {
			process.stderr.write(`tongxing ${name}: ${e.message}\n`);
			return 2;
		}
		process.stderr.write(`tongxing ${name}: failed: ${e instanceof Error ? e.message : String(e)}\n`);
		return 1;
	}
}
