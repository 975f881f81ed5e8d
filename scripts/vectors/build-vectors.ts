import { toBase64Url } from '../../src/lib/core/bytes.js';
import { CASES } from './cases.js';
import { FEDERATION_CASES } from './federation-cases.js';
import * as f from './fixture.js';

/** The JSON shape of test-vectors/*.json (docs/code-format.md §Test vectors). */
export interface TestVector {
	description: string;
	qr: string;
	trustList: string | null;
	statusList?: string;
	rootPublicKey: string;
	now: string;
	minTrustListVersion?: number;
	/** federation vectors: a national trust bundle (code-format §10) instead of a trust list; carries its status lists */
	trustBundle?: string;
	expected: { verdict: string; reason: string; colour?: string };
}

export async function buildVectors(): Promise<Map<string, TestVector>> {
	const out = new Map<string, TestVector>();
	const defaultTrust = await f.trustList();
	const defaultStatus = await f.statusList();
	for (const c of [...CASES, ...FEDERATION_CASES]) {
		const input = await c.build();
		const federated = input.trustBundle !== undefined;
		const trust = federated ? null : input.trustList === undefined ? defaultTrust : input.trustList;
		const status = federated ? null : input.statusList === undefined ? defaultStatus : input.statusList;
		const v: TestVector = {
			description: c.description,
			qr: input.qr,
			trustList: trust ? toBase64Url(trust) : null,
			rootPublicKey: toBase64Url(f.root.publicKey),
			now: new Date(input.now ?? f.NOW).toISOString(),
			expected: c.expected
		};
		if (status) v.statusList = toBase64Url(status);
		if (input.trustBundle) v.trustBundle = toBase64Url(input.trustBundle);
		if (input.minTrustListVersion !== undefined) v.minTrustListVersion = input.minTrustListVersion;
		out.set(c.name, v);
	}
	return out;
}
