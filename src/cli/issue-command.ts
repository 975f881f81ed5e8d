/**
 * tongxing issue --name NAME --id ID-NUMBER [--colour green|yellow|red] [--reason CODE]... [--kind phone|paper|proxy]
 *   [--proxy-name NAME] [--region CODE] [--valid-hours 24 (≤ 48; paper ≤ 336)] [--negative-test-at ISO] [--at ISO] [--device-seed B64URL]
 * Issues a test code with the region's active key and prints JSON {qr, codeId, deviceSeed?}. For phone and
 * proxy codes it makes (or reuses) a device key and prints the live QR for the --at time.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fromBase64Url, toBase64Url } from '../lib/core/bytes.js';
import { CODE_ID_MIN_BYTES, COLOURS, KINDS, claimProblems, type CodeClaims, type Colour, type CodeKind } from '../lib/core/claims.js';
import { codeText } from '../lib/core/code-text.js';
import type { ColourReason } from '../lib/core/colour-reasons.js';
import { issueCredential } from '../lib/core/credential.js';
import { encodeLiveCode, timeStep } from '../lib/core/live-proof.js';
import { idSuffix, maskName } from '../lib/core/mask.js';
import { nodeKeyPair } from '../lib/server/crypto/node-ed25519.js';
import { KeyStore, signerFor } from '../lib/server/keys/keystore.js';
import { DEFAULT_REGION } from './keys-command.js';
import { parseIsoTime } from './parse-time.js';
import { UsageError } from './usage-error.js';
import { MAX_VALIDITY_SECONDS } from '../lib/core/constants.js';

export async function issueCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: {
			name: { type: 'string' },
			id: { type: 'string' },
			colour: { type: 'string' },
			reason: { type: 'string', multiple: true },
			kind: { type: 'string' },
			'proxy-name': { type: 'string' },
			region: { type: 'string' },
			'valid-hours': { type: 'string' },
			'negative-test-at': { type: 'string' },
			at: { type: 'string' },
			'device-seed': { type: 'string' }
		}
	});
	if (!values.name || !values.id) throw new UsageError('issue needs --name and --id');
	const colour = (values.colour ?? 'green') as Colour;
	const kind = (values.kind ?? 'phone') as CodeKind;
	if (!COLOURS.includes(colour)) throw new UsageError(`--colour must be one of ${COLOURS.join(', ')}`);
	if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
	const at = values.at ? parseIsoTime(values.at, '--at') : nowMs;
	const iat = Math.floor(at / 1000);
	const hours = Number(values['valid-hours'] ?? 24);
	// what every scanner accepts for this kind (validity-too-long otherwise): phone and proxy 48 h, paper 14 days
	const maxHours = MAX_VALIDITY_SECONDS[kind] / 3600;
	if (!(hours > 0 && hours <= maxHours)) throw new UsageError(`--valid-hours for a ${kind} code must be above 0 and at most ${maxHours}`);
	const region = values.region ?? DEFAULT_REGION;
	const stored = new KeyStore(dataDir).activeIssuer(region, iat);
	if (!stored) throw new UsageError(`no active issuer key for region ${region} at that time; run \`tongxing keys init\``);
	const seed = values['device-seed'] ? fromBase64Url(values['device-seed']) : kind === 'paper' ? null : randomBytes(32);
	if (kind !== 'paper' && seed?.length !== 32) throw new UsageError('--device-seed must be 32 bytes, base64url');
	const device = seed && kind !== 'paper' ? nodeKeyPair(seed) : null;
	let suffix: string;
	let masked: string;
	try {
		suffix = idSuffix(values.id);
		masked = maskName(values.name);
	} catch (e) {
		throw new UsageError(e instanceof Error ? e.message : String(e));
	}
	const claims: CodeClaims = {
		iss: region,
		iat,
		exp: Math.min(iat + Math.round(hours * 3600), stored.notAfter),
		codeId: toBase64Url(randomBytes(CODE_ID_MIN_BYTES)),
		colour,
		maskedName: masked,
		idSuffix: suffix,
		kind,
		reasons: (values.reason ?? []) as ColourReason[]
	};
	if (device) claims.holderKey = toBase64Url(device.publicKey);
	if (values['negative-test-at'])
		claims.lastNegativeTestAt = Math.floor(parseIsoTime(values['negative-test-at'], '--negative-test-at') / 1000);
	if (kind === 'proxy') {
		if (!values['proxy-name']) throw new UsageError('a proxy code needs --proxy-name (who presents it)');
		claims.proxyName = maskName(values['proxy-name']);
	}
	const problems = claimProblems(claims);
	if (problems.length) throw new UsageError(problems.join('; '));
	const credential = await issueCredential(claims, signerFor(stored));
	const qr = device ? codeText(await encodeLiveCode(credential, timeStep(at), device.sign)) : codeText(credential);
	process.stdout.write(
		JSON.stringify({
			qr,
			codeId: claims.codeId,
			credential: toBase64Url(credential),
			...(seed && device ? { deviceSeed: toBase64Url(seed) } : {})
		}) + '\n'
	);
	return 0;
}
