/**
 * `tongxing COMMAND [SUB] --help` (or -h): usage, options and an example for every command and subcommand, printed
 * on stdout with exit 0 by main.ts before the command runs — so no command has to know about --help, and a new one
 * is listed by the test that walks COMMAND_HELP.
 */

/** key: "command" or "command subcommand" */
export const COMMAND_HELP: Record<string, string> = {
	backup: `usage: tongxing backup DIR [--keys FILE] [--no-keys] [--passphrase-stdin]
Copies the database while the server runs (SQLite: the online backup API; DATABASE_URL set: pg_dump --format=custom,
which must be on PATH), DATA_DIR/public, and DATA_DIR/keys encrypted (scrypt + AES-256-GCM) with a passphrase; writes
DIR/manifest.json: rows per table, scan chains' heads, status lists, audit digests (docs/drills.md §4).
  DIR                  a new or empty folder
  --keys FILE          write the key archive here instead of DIR/keys.txkeys (keep it apart from the database copy)
  --no-keys            do not back up DATA_DIR/keys
  --passphrase-stdin   read the key archive's passphrase (12+ characters) from standard input; else TONGXING_BACKUP_PASSPHRASE
example: TONGXING_BACKUP_PASSPHRASE=… tongxing backup /backup/2026-12-07 --keys /media/keys/2026-12-07.txkeys`,
	restore: `usage: tongxing restore DIR [--keys FILE] [--no-keys] [--passphrase-stdin]
Restores a backup into a fresh DATA_DIR (DATABASE_URL set: into that empty PostgreSQL database, with pg_restore),
then computes the manifest again and prints it beside the backup's; any difference is an error (exit 1).
  --keys FILE          the key archive, when it is not where the backup wrote it
  --no-keys            restore without DATA_DIR/keys
  --passphrase-stdin   read the passphrase from standard input; else TONGXING_BACKUP_PASSPHRASE
example: DATA_DIR=/srv/tongxing-new TONGXING_BACKUP_PASSPHRASE=… tongxing restore /backup/2026-12-07 --keys /media/keys/2026-12-07.txkeys`,
	federation: `usage: tongxing federation SUBCOMMAND …
Regional issuers under one national root, a gateway (docs/federation.md). The root's steps run on the offline machine.
  root-init --out DIR                                  offline: national root key + national-id.key (routing key)
  region-request --region CODE --out FILE              region: authority + exchange keys (and an issuer key), request file
  gateway-request --name NAME --out FILE               gateway: its key, request file
  certify --root DIR --request FILE --out FILE [--valid-days 365]   offline: the root signs the certificate
  revoke --root DIR --kid KID --out FILE               offline: revoke a region's authority key (compromised region)
  install FILE [--root-public-key FILE]                region/gateway: a certificate or revocations (pins the root)
  publish [--gateway URL]                              region: upload key list + status lists now (the server does it every minute)
  mirror [--gateway URL]                               region: fetch the national bundle into this region's mirror
  demo                                                 a gateway and two regions on loopback (= npm run federation)
example: tongxing federation region-request --region 110100 --out req.json`,
	verify: `usage: tongxing verify [--trust-list FILE | --trust-bundle FILE] [--status-list FILE]... [--root-key B64URL] [--at ISO-TIME] (TEXT | -)
Checks a code offline as a scanner does; prints one JSON line {verdict, reason, claims}; exit 0 valid, 1 not valid.
  --trust-list FILE          the signed trust list (default: DATA_DIR/public)
  --trust-bundle FILE        a national trust bundle instead (federation, docs/code-format.md §10)
  --status-list FILE         a signed status list (repeatable; default: from the database, else DATA_DIR/public)
  --root-key B64URL          the root public key (default: TONGXING_ROOT_PUBLIC_KEY or DATA_DIR/public)
  --min-trust-list-version N refuse older trust lists
  --at ISO-TIME              verify as of this time (Z, +08:00, +0800 or +08)
  -                          read the code text from standard input
example: tongxing verify --at 2026-11-29T08:00+0800 'TX1:…'`,
	keys: `usage: tongxing keys init|request|sign-trust-list|install-trust-list|rotate|compromise|list …
Signing keys (docs/issuance.md). Each subcommand has its own --help, e.g. tongxing keys rotate --help.
  init [--region CODE] [--valid-days N] [--if-missing]   demo: root and issuer keys on one machine
  init --root-only --out DIR                              offline machine: the root key pair
  request [--region CODE] [--valid-days N] --out FILE     server: issuer key if none; request for the offline root
  sign-trust-list --root DIR --request FILE... --out FILE [--max-age-days 7]   offline machine
  install-trust-list FILE [--root-public-key FILE]        server: verify against the pinned root, install
  rotate [--region CODE] [--delay-hours 24] [--valid-days 365]
  compromise KID                                          re-issues every live code it signed
  list
example: tongxing keys init --region 440300`,
	'keys init': `usage: tongxing keys init [--region CODE] [--valid-days N] [--if-missing]
       tongxing keys init --root-only --out DIR
Creates the root key and one regional issuer key (demo, single machine), or only the root key pair on the offline machine.
  --region CODE      GB/T 2260 six-digit region of the issuer key (default 440300)
  --valid-days N     issuer key lifetime (default 365)
  --if-missing       do nothing (exit 0) when keys exist
  --root-only --out DIR   the offline ceremony's root key pair, written to DIR
example: tongxing keys init --region 440300 --if-missing`,
	'keys request': `usage: tongxing keys request --out FILE [--region CODE] [--valid-days N]
Server: makes an issuer key if none signs now, and writes the request the offline root signs.
  --out FILE         where to write the request
  --region CODE      region of a new issuer key
  --valid-days N     lifetime of a new issuer key (1–3650)
example: tongxing keys request --out request.json`,
	'keys sign-trust-list': `usage: tongxing keys sign-trust-list --root DIR --request FILE [--request FILE]... --out FILE [--max-age-days N]
Offline machine: signs one or several requests into one trust list.
  --root DIR          the root key pair (keys init --root-only)
  --request FILE      a request from a server (repeatable)
  --out FILE          the signed trust list
  --max-age-days N    how long scanners accept it (1–90, default 7)
example: tongxing keys sign-trust-list --root /media/root --request request.json --out trust-list.cose`,
	'keys install-trust-list': `usage: tongxing keys install-trust-list FILE [--root-public-key FILE]
Server: verifies a signed trust list against the pinned root public key and installs it.
  --root-public-key FILE   pin this root public key (first installation)
example: tongxing keys install-trust-list trust-list.cose`,
	'keys rotate': `usage: tongxing keys rotate [--region CODE] [--delay-hours H] [--valid-days N]
Makes a new issuer key that starts signing after the delay (scanners fetch the new trust list first).
  --region CODE      region (default: the active key's)
  --delay-hours H    hours before the new key signs (default 24)
  --valid-days N     lifetime of the new key (default 365)
example: tongxing keys rotate --delay-hours 24`,
	'keys compromise': `usage: tongxing keys compromise KID
Withdraws a leaked issuer key and re-issues every live code it signed.
example: tongxing keys compromise 3f9a…`,
	'keys list': `usage: tongxing keys list
Lists the issuer keys with region, status and validity.
example: tongxing keys list`,
	'trust-list': `usage: tongxing trust-list publish
Re-signs the trust list from the keystore (version + 1) into DATA_DIR/public; needs the root key on this machine.
example: tongxing trust-list publish`,
	'status-list': `usage: tongxing status-list publish [--region CODE] [--revoke CODE-ID]...
Revokes codes in the database and writes the region's signed status list into DATA_DIR/public.
  --region CODE       region (default: the server's)
  --revoke CODE-ID    a code id to revoke (repeatable)
example: tongxing status-list publish --revoke D5DwribTOVadwsWk1xXq0Q`,
	issue: `usage: tongxing issue --name NAME --id ID-NUMBER [options]
Issues a test code with the region's active key; prints JSON {qr, codeId, credential, deviceSeed?}.
  --name NAME               the holder's name (masked in the code)
  --id ID-NUMBER            the holder's ID number (only the last four characters go into the code)
  --colour green|yellow|red (default green)
  --reason CODE             a colour reason (repeatable)
  --kind phone|paper|proxy  (default phone)     --proxy-name NAME   who presents a proxy code
  --region CODE             (default 440300)     --valid-hours H     (≤ 48; paper ≤ 336)
  --negative-test-at ISO    --at ISO-TIME        --device-seed B64URL
example: tongxing issue --name 张三 --id 44030119900101123X --colour yellow --reason fever-declared`,
	venue: `usage: tongxing venue add --name NAME [--region CODE] [--policy POLICY]
Adds a venue whose guards scan codes; prints its id.
  --name NAME        the venue's name
  --region CODE      GB/T 2260 region (default: the server's)
  --policy POLICY    green-only | green-negative-48h | green-negative-72h | yellow-with-registration (default green-only)
example: tongxing venue add --name '南山图书馆' --policy green-only`,
	guard: `usage: tongxing guard enrol VENUE-ID | guard revoke DEVICE-ID
  enrol VENUE-ID     prints the scanner's enrolment code (paste its "code" at /scan)
  revoke DEVICE-ID   a lost or stolen scanner: its uploads are refused
example: tongxing guard enrol demo-library`,
	'guard enrol': `usage: tongxing guard enrol VENUE-ID
Prints one JSON line: the enrolment and its "code" (TXE1:…), which the scanner at /scan is enrolled with.
example: tongxing guard enrol demo-library`,
	'guard revoke': `usage: tongxing guard revoke DEVICE-ID
Refuses the scanner's uploads from now on (a lost or stolen device).
example: tongxing guard revoke dev_3f9a…`,
	demo: `usage: tongxing demo
Prints the demo identities, venues and where the one-time codes appear (demo mode).
example: tongxing demo`,
	staff: `usage: tongxing staff add USERNAME [--role ROLE] [--password-stdin] | staff role USERNAME ROLE | staff disable USERNAME
  add USERNAME        a console account (role officer unless --role); a random password is printed once unless --password-stdin
  role USERNAME ROLE  viewer, officer, approver or admin (applies from its next request)
  disable USERNAME    its sessions end at once
example: tongxing staff add wang --role admin`,
	'staff add': `usage: tongxing staff add USERNAME [--role ROLE] [--password-stdin]
Adds a console account. Without --password-stdin a random password is generated and printed once.
  --role ROLE        viewer (reads), officer (acts), approver (also approves proposals), admin (also staff,
                     devices, keys, venues); default officer. The first account of a deployment: --role admin
  --password-stdin   read the password from standard input
example: printf '%s\\n' "$PW" | tongxing staff add wang --role admin --password-stdin`,
	'staff role': `usage: tongxing staff role USERNAME ROLE
Sets a console account's role: viewer, officer, approver or admin. Applies from its next request.
example: tongxing staff role wang approver`,
	'staff disable': `usage: tongxing staff disable USERNAME
Disables a console account; its sessions end at once.
example: tongxing staff disable wang`,
	source: `usage: tongxing source add public-security|carrier|health | source list | source revoke KEY-ID
API keys for the data sources (docs/data-sources.md).
  add SOURCE      prints the source's API key once
  list            key ids, never the keys
  revoke KEY-ID   the key stops working at once
example: tongxing source add health`,
	'source add': `usage: tongxing source add public-security|carrier|health
Prints a new API key for the source, once.
example: tongxing source add carrier`,
	'source list': `usage: tongxing source list
Lists the source keys by id (never the key itself), with creation and revocation times.
example: tongxing source list`,
	'source revoke': `usage: tongxing source revoke KEY-ID
Revokes a source key; requests with it are refused from now on.
example: tongxing source revoke k_3f9a…`,
	import: `usage: tongxing import public-security|carrier|health FILE --kind KIND [--encoding utf-8|gbk|gb18030] [--format csv|json]
Validates every row and stores all or nothing, then recolours the residents the file affects. Progress on stderr;
bad rows are listed as "line N: field: message" (a wrong header row as "header: missing column X"). Kinds and
columns: docs/data-sources.md. Times: ISO 8601 with Z, +08:00, +0800 or +08 (no zone: UTC+8).
  --kind KIND       health: tests, cases, quarantine, risk-areas; public-security: register, relations; carrier: phones, trajectory
  --encoding ENC    utf-8 (default), gbk or gb18030
  --format FMT      csv (header row) or json (array or NDJSON); default from the file name
example: tongxing import health tests.csv --kind tests`,
	seed: `usage: tongxing seed [--residents N] [--seed S] [--if-empty]
Builds the synthetic demo city and prints one identity per colour to sign in with.
  --residents N   10 to 5000000 (default 10000)
  --seed S        the random seed (same seed, same city)
  --if-empty      do nothing when the database already holds a city
example: tongxing seed --residents 20000`,
	map: `usage: tongxing map districts FILE.geojson | map density
The console map's own geometry (docs/console.md "Map").
  districts FILE.geojson   replace the district outlines (a FeatureCollection of Polygon / MultiPolygon, properties code + nameZh/nameEn or name)
  density                  recount the density layer (residents by colour per grid cell) from the stored colours
example: tongxing map districts shenzhen-districts.geojson`,
	'map districts': `usage: tongxing map districts FILE.geojson
Replaces every district outline the console map draws with the file's (all or nothing; a bad feature is named and nothing changes).
The file: a GeoJSON FeatureCollection, [lon, lat] WGS-84, one Polygon or MultiPolygon feature per district with
properties "code" (GB/T 2260, six digits) and "nameZh" / "nameEn" (or "name").
example: tongxing map districts shenzhen-districts.geojson`,
	'map density': `usage: tongxing map density
Recounts the density layer's aggregate (map_density: residents by colour per 0.01° grid cell of their registered home) from
resident_colours and resident_places. The server keeps it current with every colour change; this is for repair.
example: tongxing map density`,
	'risk-area': `usage: tongxing risk-area add … | risk-area end ID [--at ISO] | risk-area list
Risk areas; each change recolours the residents it affects. Each subcommand has its own --help.
example: tongxing risk-area list`,
	'risk-area add': `usage: tongxing risk-area add --name NAME --level high|medium (--polygon JSON | --cells ID,… | --file AREA.json) --from ISO-TIME [--until ISO-TIME]
  --name NAME          the area's name
  --level LEVEL        high or medium
  --polygon JSON       [[lon,lat],[lon,lat],[lon,lat],…]
  --cells ID,…         grid cell ids instead of a polygon
  --file AREA.json     the whole area as a JSON object {name, level, polygon | cells, from, until?}
  --from, --until      ISO 8601 with a zone (Z, +08:00, +0800, +08)
example: tongxing risk-area add --name 'XX 市场' --level high --polygon '[[114.05,22.54],[114.06,22.54],[114.06,22.55]]' --from 2026-11-20T08:00+0800`,
	'risk-area end': `usage: tongxing risk-area end ID [--at ISO-TIME]
Ends a risk area (now, or at --at) and recolours the residents it affected.
example: tongxing risk-area end ra_3f9a --at 2026-11-29T00:00+08`,
	'risk-area list': `usage: tongxing risk-area list
Lists the risk areas: id, level, active or not, time window, name.
example: tongxing risk-area list`,
	rules: `usage: tongxing rules show | rules preview FILE | rules save FILE
Rule sets (docs/rules.md). preview: who would change colour; save: a new active version, recolours who changes.
example: tongxing rules preview rules.json`,
	'rules show': `usage: tongxing rules show
Prints the active rule set as JSON.
example: tongxing rules show > rules.json`,
	'rules preview': `usage: tongxing rules preview FILE
Counts who would change colour under the rule set in FILE; nothing is saved.
example: tongxing rules preview rules.json`,
	'rules save': `usage: tongxing rules save FILE
Saves FILE as the new active rule version and recolours everyone whose colour changes (actor cli).
example: tongxing rules save rules.json`,
	recolour: `usage: tongxing recolour --due [--batch N] | recolour --all
  --due        re-evaluates the residents whose hold, order or look-back ran out (the server does it every minute)
  --batch N    residents per batch for --due (1–100000, default 1000)
  --all        re-evaluates every resident with the active rules (as a rules save does), progress on stderr,
               each change audited with actor cli
example: tongxing recolour --all`,
	colours: `usage: tongxing colours [--colour green|yellow|red]... [--reason CODE]... [--format csv|json]
       tongxing colours --ids FILE --purpose TEXT [--colour …] [--reason …] [--format csv|json]
Lists residents' current colours and reasons, streamed (CSV with a header row, or NDJSON: one JSON object a line).
Columns: ref (the resident's keyed pseudonym), colour, reasons, ruleVersion, updatedAt, region, idMasked.
The database holds no clear ID numbers (only keyed hashes), so none can be listed. To see which of a list of
people you hold have which colour, pass their ID numbers: each is hashed with the server key and matched; the
output then carries your ID number (one with no colour on record: an empty colour, unless you filter), and
every lookup is recorded with your --purpose in the append-only audit (id_number_reads).
  --colour C        only this colour (repeatable)
  --reason CODE     only residents with this reason (repeatable: any of them)
  --format FMT      csv (default) or json
  --ids FILE        ID numbers, one a line (or the first CSV column); - for standard input
  --purpose TEXT    why the ID numbers are read (required with --ids; recorded)
  --with-id-numbers explains the above and exits 2
example: tongxing colours --colour yellow --reason close-contact --format json > yellow.ndjson`
};

/** The help text for `tongxing NAME ARGS…` (the subcommand's when ARGS[0] names one), or undefined. */
export function helpFor(name: string, args: readonly string[]): string | undefined {
	const sub = args[0];
	return (sub !== undefined && COMMAND_HELP[`${name} ${sub}`]) || COMMAND_HELP[name];
}

/** Whether --help or -h appears among the options (before a `--` that ends them). */
export function wantsHelp(args: readonly string[]): boolean {
	for (const a of args) {
		if (a === '--') return false;
		if (a === '--help' || a === '-h') return true;
	}
	return false;
}
