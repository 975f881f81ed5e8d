/**
 * Test vectors of the federation fact format (docs/federation.md §Facts, docs/code-format.md §Fact batches):
 * routing hashes, and signed fact batches with what a gateway or receiver must conclude — the whole batch refused
 * (with the code) or each item accepted or rejected (with the code). Deterministic: fixed keys and times, and
 * Ed25519 signatures are deterministic, so `npm run gen:vectors` rewrites the same bytes.
 */
import { nobleKeyPair } from '../../src/lib/testing/noble-backend.js';
import { toBase64Url, toHex } from '../../src/lib/core/bytes.js';
import { signFactBatch } from '../../src/lib/core/federation/fact-batch.js';
import type { FederatedFact } from '../../src/lib/core/federation/fact.js';
import { routingHash } from '../../src/lib/core/federation/routing-hash.js';
import type { RegionSigner } from '../../src/lib/core/federation/region-message.js';
import { kidOf } from '../../src/lib/core/kid.js';

export interface FactVectors {
	description: string;
	nationalKeyHex: string;
	routingHashes: { idNumber: string; hash: string }[];
	/** region → exchange public key (base64url) the checker trusts */
	exchangeKeys: Record<string, string>;
	nowSec: number;
	batches: {
		name: string;
		envelope: unknown;
		expected: { refused: string } | { items: { status: 'ok' | 'rejected'; code?: string; field?: string }[] };
	}[];
}

const seed = (b: number) => new Uint8Array(32).fill(b);
function signer(region: string, s: Uint8Array): RegionSigner & { publicKey: Uint8Array } {
	const { publicKey, sign } = nobleKeyPair(s);
	return { region, kid: kidOf(publicKey), publicKey, sign };
}

export async function buildFactVectors(): Promise<FactVectors> {
	const nationalKey = seed(7);
	const A = signer('440300', seed(1));
	const B = signer('110105', seed(2));
	const forger = signer('440300', seed(3));
	const now = 1_795_000_000;
	const ids = ['11010519491231002X', '110105198001011238', '440303199002024566'];
	const subject = routingHash(nationalKey, ids[0]!);
	const base = { rev: 0, region: '440300', subject, recordedAt: now - 60 };
	const test: FederatedFact = { ...base, id: '440300:t1', kind: 'test-result', sampledAt: now - 7200, result: 'positive' };
	const kase: FederatedFact = { ...base, id: '440300:c1', kind: 'confirmed-case', confirmedAt: now - 3600, onsetAt: now - 86_400 };
	const order: FederatedFact = { ...base, id: '440300:q1', kind: 'quarantine-order', from: now - 3600, until: now + 7 * 86_400 };
	const contact: FederatedFact = {
		...base,
		id: '440300:k1',
		kind: 'close-contact',
		contactKind: 'close',
		exposedAt: now - 7200,
		of: routingHash(nationalKey, ids[2]!)
	};
	const visit: FederatedFact = {
		...base,
		id: '440300:v1',
		kind: 'venue-co-visit',
		venue: 'v-12',
		venueName: '福田站 A 口',
		at: now - 5400
	};
	const batch = (s: RegionSigner, id: string, facts: FederatedFact[], at = now) => signFactBatch(s, id, at, facts);
	const good = await batch(A, 'batch-good-1', [test, kase, order, contact, visit]);
	const tampered = await batch(A, 'batch-tampered', [test]);
	tampered.facts[0] = tampered.facts[0]!.replace('positive', 'negative');
	const subset = await batch(A, 'batch-subset-1', [test, kase, order]);
	subset.facts = [subset.facts[2]!, subset.facts[0]!];
	const bad = (over: Record<string, unknown>) => ({ ...test, id: `440300:b${Object.keys(over)[0]}`, ...over }) as unknown as FederatedFact;
	return {
		description: 'Federation fact batches (docs/federation.md §Facts). Check each batch with exchangeKeys at nowSec.',
		nationalKeyHex: toHex(nationalKey),
		routingHashes: ids.map((idNumber) => ({ idNumber, hash: routingHash(nationalKey, idNumber) })),
		exchangeKeys: { '440300': toBase64Url(A.publicKey), '110105': toBase64Url(B.publicKey) },
		nowSec: now,
		batches: [
			{
				name: 'five kinds, all valid',
				envelope: good,
				expected: { items: [{ status: 'ok' }, { status: 'ok' }, { status: 'ok' }, { status: 'ok' }, { status: 'ok' }] }
			},
			{
				name: 'a subset, reordered (as the gateway forwards)',
				envelope: subset,
				expected: { items: [{ status: 'ok' }, { status: 'ok' }] }
			},
			{
				name: 'forged: signed by a key not onboarded for 440300',
				envelope: await batch(forger, 'batch-forged-1', [test]),
				expected: { refused: 'message/signature' }
			},
			{
				name: 'region 110105 signing as 440300',
				envelope: await batch({ ...B, region: '440300' }, 'batch-cross-1', [test]),
				expected: { refused: 'message/signature' }
			},
			{
				name: 'a region with no exchange key',
				envelope: await batch({ ...A, region: '310000' }, 'batch-unknown-1', [{ ...test, region: '310000', id: '310000:t1' }]),
				expected: { refused: 'message/unknown-region' }
			},
			{
				name: 'signed 11 minutes in the future',
				envelope: await batch(A, 'batch-future-1', [test], now + 660),
				expected: { refused: 'message/future' }
			},
			{
				name: 'signed 9 minutes in the future (skew tolerated)',
				envelope: await batch(A, 'batch-skew-1', [test], now + 540),
				expected: { items: [{ status: 'ok' }] }
			},
			{
				name: 'older than a day',
				envelope: await batch(A, 'batch-stale-1', [test], now - 86_400 - 601),
				expected: { refused: 'message/stale' }
			},
			{
				name: 'a fact altered after signing',
				envelope: tampered,
				expected: { items: [{ status: 'rejected', code: 'fact/not-in-batch' }] }
			},
			{
				name: 'bad fields, one per fact',
				envelope: await batch(A, 'batch-bad-fields', [
					bad({ result: 'maybe' }),
					bad({ sampledAt: now + 3600 }),
					bad({ subject: 'x' }),
					bad({ region: '110105' }),
					bad({ kind: 'rumour' }),
					bad({ extra: true }),
					{ ...order, id: '440300:q2', until: order.from },
					test
				]),
				expected: {
					items: [
						{ status: 'rejected', code: 'fact/value', field: 'result' },
						{ status: 'rejected', code: 'fact/future', field: 'sampledAt' },
						{ status: 'rejected', code: 'fact/subject', field: 'subject' },
						{ status: 'rejected', code: 'fact/region', field: 'region' },
						{ status: 'rejected', code: 'fact/kind', field: 'kind' },
						{ status: 'rejected', code: 'fact/field', field: 'extra' },
						{ status: 'rejected', code: 'fact/order', field: 'until' },
						{ status: 'ok' }
					]
				}
			},
			{
				name: 'the same fact twice in one batch',
				envelope: await batch(A, 'batch-dup-1', [test, test]),
				expected: { items: [{ status: 'ok' }, { status: 'rejected', code: 'fact/duplicate' }] }
			}
		]
	};
}
