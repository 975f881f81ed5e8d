/**
 * tongxing federation … — the onboarding ceremony and a region's jobs, by hand (docs/federation.md):
 *   root-init --out DIR                                   offline: national root + national-id.key
 *   region-request --region CODE --out FILE               region: authority + exchange keys (+ issuer key), request
 *   gateway-request --name NAME --out FILE                gateway: its key, request
 *   certify --root DIR --request FILE --out FILE [--valid-days 365]   offline: the root signs a certificate
 *   revoke --root DIR --kid KID --out FILE                offline: the root revokes an authority (or gateway) key
 *   install FILE [--root-public-key FILE]                 region/gateway: a certificate or revocations
 *   publish [--gateway URL]                               region: key list + status lists (as the server's job)
 *   mirror [--gateway URL]                                region: the national bundle into its mirror
 *   demo                                                  same as npm run federation
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { KeyCeremonyError, readRootPublicKeyFile } from '../lib/server/keys/offline-root.js';
import {
	certify,
	gatewayRequest,
	initNationalRoot,
	installFederationDocument,
	parseCertRequest,
	regionRequest,
	revokeKey
} from '../lib/server/federation/ceremony.js';
import { httpGatewayClient, mirrorNational, publishRegion } from '../lib/server/federation/region-publish.js';
import { KeyStore } from '../lib/server/keys/keystore.js';
import { DomainError } from '../lib/server/domain-error.js';
import { readDocument } from './read-document.js';
import { UsageError } from './usage-error.js';

const USAGE =
	'usage: tongxing federation root-init --out DIR | region-request --region CODE --out FILE | gateway-request --name NAME --out FILE | certify --root DIR --request FILE --out FILE [--valid-days N] | revoke --root DIR --kid KID --out FILE | install FILE [--root-public-key FILE] | publish [--gateway URL] | mirror [--gateway URL] | demo';

export async function federationCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const [sub, ...rest] = argv;
	const nowSec = Math.floor(nowMs / 1000);
	const { values, positionals } = parseArgs({
		args: rest,
		allowPositionals: true,
		options: {
			out: { type: 'string' },
			region: { type: 'string' },
			name: { type: 'string' },
			root: { type: 'string' },
			request: { type: 'string' },
			'valid-days': { type: 'string' },
			kid: { type: 'string' },
			'root-public-key': { type: 'string' },
			gateway: { type: 'string' }
		}
	});
	const need = (v: string | undefined, what: string) => {
		if (!v) throw new UsageError(`tongxing federation ${sub}: ${what} is required; see tongxing federation --help`);
		return v;
	};
	try {
		switch (sub) {
			case 'root-init': {
				const out = resolve(need(values.out, '--out DIR'));
				const { root, nationalIdKeyPath } = initNationalRoot(out);
				process.stdout.write(`national root ${root.kid} in ${out}/root.json (keep offline); routing key ${nationalIdKeyPath}\n`);
				return 0;
			}
			case 'region-request': {
				const region = need(values.region, '--region CODE');
				const req = await regionRequest(new KeyStore(dataDir), dataDir, { region, nowSec });
				writeFileSync(need(values.out, '--out FILE'), JSON.stringify(req, null, '\t') + '\n');
				process.stdout.write(`request for region ${region} written to ${values.out}: certify it on the offline root machine\n`);
				return 0;
			}
			case 'gateway-request': {
				const req = gatewayRequest(dataDir, need(values.name, '--name NAME'));
				writeFileSync(need(values.out, '--out FILE'), JSON.stringify(req, null, '\t') + '\n');
				return 0;
			}
			case 'certify': {
				const file = need(values.request, '--request FILE');
				const days = Number(values['valid-days'] ?? 365);
				if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--valid-days must be 1–3650');
				const bytes = await certify(resolve(need(values.root, '--root DIR')), parseCertRequest(readFileSync(file, 'utf8'), file), {
					nowSec,
					validDays: days
				});
				writeFileSync(need(values.out, '--out FILE'), bytes);
				process.stdout.write(`certificate written to ${values.out} (valid ${days} days)\n`);
				return 0;
			}
			case 'revoke': {
				const r = await revokeKey(resolve(need(values.root, '--root DIR')), need(values.kid, '--kid KID'), nowSec);
				writeFileSync(need(values.out, '--out FILE'), r.bytes);
				process.stdout.write(`revocations v${r.version} (${r.revoked.join(', ')}) written to ${values.out}: install it at the gateway\n`);
				return 0;
			}
			case 'install': {
				if (positionals.length !== 1) throw new UsageError('usage: tongxing federation install FILE [--root-public-key FILE]');
				const deps = await issuer();
				try {
					const root = values['root-public-key'] ? readRootPublicKeyFile(values['root-public-key']) : undefined;
					process.stdout.write(
						(await installFederationDocument(deps, readDocument(positionals[0]!), root ? { rootPublicKey: root } : {})) + '\n'
					);
				} finally {
					await closeDatabase();
				}
				return 0;
			}
			case 'publish':
			case 'mirror': {
				const deps = await issuer();
				const url = values.gateway ?? deps.config.gatewayUrl;
				try {
					const client = url ? httpGatewayClient(url.replace(/\/+$/, '')) : null;
					if (sub === 'mirror' && !client) throw new UsageError('mirror needs --gateway URL or TONGXING_GATEWAY_URL');
					const said = sub === 'publish' ? await publishRegion(deps, client) : await mirrorNational(deps, client!);
					process.stdout.write((said ?? 'nothing to do') + '\n');
				} finally {
					await closeDatabase();
				}
				return 0;
			}
			case 'demo': {
				const { runFederationDemo } = await import('../../scripts/federation.js');
				return runFederationDemo();
			}
			default:
				throw new UsageError(USAGE);
		}
	} catch (e) {
		if (e instanceof KeyCeremonyError) {
			process.stderr.write(`${e.message}\n`);
			return 1;
		}
		if (e instanceof DomainError) {
			process.stderr.write(`refused (${e.code}): ${e.detail ?? ''}\n`);
			return 1;
		}
		throw e;
	}
}
