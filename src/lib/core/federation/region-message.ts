/**
 * Every message a region sends through the gateway is a COSE_Sign1 (src/lib/core/cose.ts) signed by the region's
 * data-exchange key, with its own content type so it is never mistaken for a code, a trust list or a status list:
 *
 *   payload = CBOR {"v": 1, "type": text, "region": text, "at": uint (Unix s), "body": text (JSON)}
 *
 * `type` says what the body is (a fact batch, a registration, a pull of the region's queue, a tracing request…)
 * and is checked by the receiver, so a signature made for one purpose cannot be replayed as another. The gateway
 * and the receiving region look the signer's key up by `region` (ExchangeKeys): a region cannot sign as another.
 */
import { bytesEqual, utf8 } from '../bytes.js';
import { cborDecode, cborEncode, isMap, isUint, type CborValue } from '../cbor.js';
import { parseCose, sigStructure, signCose } from '../cose.js';
import { strictVerify, type Ed25519Backend, type SignFn } from '../ed25519/ed25519.js';
import { kidOf } from '../kid.js';
import type { ExchangeKeys } from './exchange-keys.js';
import { FED_REGION_RE, MAX_CLOCK_SKEW_SEC } from './fact.js';

export const FED_MESSAGE_CONTENT_TYPE = 'application/tx-fed-message+cbor';

export const FED_MESSAGE_TYPES = [
	'fact-batch',
	'registrations',
	'pull',
	'ack',
	'rejections',
	'tracing-request',
	'tracing-poll',
	'tracing-answer'
] as const;
export type FedMessageType = (typeof FED_MESSAGE_TYPES)[number];

export type MessageProblem =
	'message/format' | 'message/type' | 'message/unknown-region' | 'message/signature' | 'message/stale' | 'message/future';

export interface RegionSigner {
	region: string;
	kid: Uint8Array;
	sign: SignFn;
}

export async function signRegionMessage(signer: RegionSigner, type: FedMessageType, atSec: number, body: unknown): Promise<Uint8Array> {
	const payload = cborEncode(
		new Map<string, CborValue>([
			['v', 1],
			['type', type],
			['region', signer.region],
			['at', atSec],
			['body', JSON.stringify(body)]
		])
	);
	return signCose(payload, { kid: signer.kid, sign: signer.sign, contentType: FED_MESSAGE_CONTENT_TYPE });
}

export interface OpenedMessage {
	region: string;
	at: number;
	body: unknown;
}

/**
 * Opens and verifies a message: the right content type and `type`, the signer's exchange key valid at the
 * message's time, the signature, and the time within [now − maxAgeSec − skew, now + skew].
 */
export async function openRegionMessage(
	bytes: Uint8Array,
	opts: { type: FedMessageType; keys: ExchangeKeys; backend: Ed25519Backend; nowSec: number; maxAgeSec: number }
): Promise<{ ok: true; message: OpenedMessage } | { ok: false; code: MessageProblem }> {
	const bad = (code: MessageProblem) => ({ ok: false as const, code });
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string' || cose.contentType !== FED_MESSAGE_CONTENT_TYPE) return bad('message/format');
	const m = cborDecode(cose.payload);
	if (!isMap(m) || m.get('v') !== 1) return bad('message/format');
	const type = m.get('type'),
		region = m.get('region'),
		at = m.get('at'),
		body = m.get('body');
	if (typeof type !== 'string' || typeof region !== 'string' || !FED_REGION_RE.test(region) || !isUint(at) || typeof body !== 'string')
		return bad('message/format');
	if (type !== opts.type) return bad('message/type');
	const key = await opts.keys.exchangeKey(region, at * 1000);
	if (!key) return bad('message/unknown-region');
	if (!bytesEqual(cose.kid, kidOf(key))) return bad('message/signature');
	if (!(await strictVerify(opts.backend, key, sigStructure(cose.protectedBytes, cose.payload), cose.signature)))
		return bad('message/signature');
	if (at > opts.nowSec + MAX_CLOCK_SKEW_SEC) return bad('message/future');
	if (at < opts.nowSec - opts.maxAgeSec - MAX_CLOCK_SKEW_SEC) return bad('message/stale');
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return bad('message/format');
	}
	return { ok: true, message: { region, at, body: parsed } };
}

/** UTF-8 bytes of a JSON text (for digests). */
export const textBytes = (text: string): Uint8Array => utf8(text);
