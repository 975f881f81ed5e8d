/**
 * Test codes for the scanner specs, made the way an issuer makes them: `tongxing issue` against the server's
 * DATA_DIR (same keys, same database), plus the variants a guard meets at the gate.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { base45Decode } from '../../src/lib/core/base45.js';
import { fromBase64Url } from '../../src/lib/core/bytes.js';
import { codeText } from '../../src/lib/core/code-text.js';
import { tweetnaclKeyPair } from '../../src/lib/core/ed25519/tweetnacl.js';
import { encodeLiveCode, timeStep } from '../../src/lib/core/live-proof.js';
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../src/lib/core/bytes.js';
import type { CodeClaims, CodeKind, Colour } from '../../src/lib/core/claims.js';
import type { ColourReason } from '../../src/lib/core/colour-reasons.js';
import { issueCredential } from '../../src/lib/core/credential.js';
import { KeyStore, signerFor } from '../../src/lib/server/keys/keystore.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export function cli(dataDir: string, ...args: string[]): string {
	return execFileSync(process.execPath, [join(ROOT, 'bin', 'tongxing.js'), ...args], {
		env: { ...process.env, DATA_DIR: dataDir },
		encoding: 'utf8',
		cwd: ROOT
	}).trim();
}

export interface Issued {
	qr: string;
	codeId: string;
	credential: string;
	deviceSeed?: string;
}

export interface IssueOptions {
	kind?: CodeKind;
	colour?: Colour;
	reasons?: ColourReason[];
	proxyName?: string;
	/** Unix seconds. */
	negativeTestAt?: number;
	validSeconds?: number;
	/** iat, Unix seconds (default: now); must lie in the issuer key's window. */
	iat?: number;
}

/**
 * What `tongxing issue` does (issue-command.ts), in-process with the server's issuer key from DATA_DIR: a CLI
 * process costs ~2 s of CPU on a busy 2-core box, and the scanner specs need a dozen codes.
 */
export async function issue(dataDir: string, o: IssueOptions = {}): Promise<Issued> {
	const kind = o.kind ?? 'phone';
	const colour = o.colour ?? 'green';
	const iat = o.iat ?? Math.floor(Date.now() / 1000);
	const stored = new KeyStore(dataDir).activeIssuer('440300', iat);
	if (!stored) throw new Error('no active issuer key in ' + dataDir);
	const seed = kind === 'paper' ? null : new Uint8Array(randomBytes(32));
	const claims: CodeClaims = {
		iss: '440300',
		iat,
		exp: iat + (o.validSeconds ?? 3600),
		codeId: toBase64Url(randomBytes(12)),
		colour,
		maskedName: '张*丰',
		idSuffix: '123X',
		kind,
		reasons: o.reasons ?? (colour === 'green' ? [] : ['fever-declared'])
	};
	if (seed) claims.holderKey = toBase64Url(tweetnaclKeyPair(seed).publicKey);
	if (o.negativeTestAt !== undefined) claims.lastNegativeTestAt = o.negativeTestAt;
	if (kind === 'proxy') claims.proxyName = o.proxyName ?? '李*';
	const credential = await issueCredential(claims, signerFor(stored));
	const issued: Issued = {
		qr: codeText(credential),
		codeId: claims.codeId,
		credential: toBase64Url(credential),
		...(seed ? { deviceSeed: toBase64Url(seed) } : {})
	};
	if (seed) issued.qr = await liveQr(issued);
	return issued;
}

/** The live QR a resident's phone would show at `atMs` (phone and proxy codes). */
export async function liveQr(c: Issued, atMs = Date.now()): Promise<string> {
	if (!c.deviceSeed) throw new Error('not a live code');
	const device = tweetnaclKeyPair(fromBase64Url(c.deviceSeed)!);
	return codeText(await encodeLiveCode(fromBase64Url(c.credential)!, timeStep(atMs), device.sign));
}

/** A paper code with one byte of the issuer signature's R changed: decodes fine, signature fails. */
export function tamper(paperQr: string): string {
	const bytes = base45Decode(paperQr.slice(4))!;
	bytes[bytes.length - 50]! ^= 0x01;
	return codeText(bytes);
}

/** Enrols a guard device to a venue; returns the `TXE1:` code and the enrolment. */
export function enrol(dataDir: string, venueId: string): { code: string; deviceId: string; token: string; venue: { id: string } } {
	return JSON.parse(cli(dataDir, 'guard', 'enrol', venueId)) as { code: string; deviceId: string; token: string; venue: { id: string } };
}
