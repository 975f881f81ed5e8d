/** Runs inside Chromium: verifyCode with WebCrypto vs tweetnacl on the same code and lists. */
import { fromBase64Url } from '../../src/lib/core/bytes.js';
import { strictVerify, type Ed25519Backend } from '../../src/lib/core/ed25519/ed25519.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../../src/lib/core/ed25519/tweetnacl.js';
import { createWebCryptoBackend, webCryptoEd25519Available } from '../../src/lib/core/ed25519/webcrypto.js';
import { openStatusList } from '../../src/lib/core/status-list.js';
import { openTrustList } from '../../src/lib/core/trust-list.js';
import { verifyCode } from '../../src/lib/core/verify-code.js';
import { timeIt } from '../timing.js';

interface Input {
	qr: string;
	trustList: string;
	statusList: string;
	rootPublicKey: string;
	now: string;
}

async function measure(input: Input, backend: Ed25519Backend): Promise<number> {
	const t = await openTrustList(fromBase64Url(input.trustList)!, { rootPublicKey: fromBase64Url(input.rootPublicKey)!, backend });
	if (!t.ok) throw new Error(t.detail);
	const s = await openStatusList(fromBase64Url(input.statusList)!, { trustList: t.list, backend });
	if (!s.ok) throw new Error(s.detail);
	const ctx = { trustList: t.list, statusLists: [s.list], now: Date.parse(input.now), backend };
	const v = await verifyCode(input.qr, ctx);
	if (v.verdict !== 'valid') throw new Error(`${backend.name}: ${v.reason}`);
	return timeIt(() => verifyCode(input.qr, ctx));
}

async function raw(backend: Ed25519Backend): Promise<number> {
	const kp = tweetnaclKeyPair(new Uint8Array(32).fill(3));
	const msg = new Uint8Array(200).fill(7);
	const sig = await kp.sign(msg);
	return timeIt(() => strictVerify(backend, kp.publicKey, msg, sig));
}

(globalThis as unknown as { runBench: (i: Input) => Promise<unknown> }).runBench = async (input: Input) => {
	if (!(await webCryptoEd25519Available())) throw new Error('WebCrypto Ed25519 unavailable in this browser');
	const fast = createWebCryptoBackend();
	// Everything but the signature maths: a backend that answers instantly (only after the real checks passed).
	const instant: Ed25519Backend = { name: 'instant', verifyRaw: () => Promise.resolve(true) };
	return {
		overheadMs: await measure(input, instant),
		fastMs: await measure(input, fast),
		tweetnaclMs: await measure(input, tweetnaclBackend),
		rawFastMs: await raw(fast),
		rawTweetnaclMs: await raw(tweetnaclBackend)
	};
};
