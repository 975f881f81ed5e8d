/**
 * Core benchmarks (issue: format): verify and sign speed by backend, QR sizes, zxing read rate.
 * Ratios against a baseline measured in the same run, because this machine is noisy.
 */
import QRCode from 'qrcode';
import { fromBase64Url } from '../src/lib/core/bytes.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../src/lib/core/ed25519/tweetnacl.js';
import { createWebCryptoBackend } from '../src/lib/core/ed25519/webcrypto.js';
import type { Ed25519Backend } from '../src/lib/core/ed25519/ed25519.js';
import { openStatusList } from '../src/lib/core/status-list.js';
import { openTrustList } from '../src/lib/core/trust-list.js';
import { verifyCode, type VerifyContext } from '../src/lib/core/verify-code.js';
import { createNodeBackend, nodeKeyPair } from '../src/lib/server/crypto/node-ed25519.js';
import { EU_DCC_REFERENCE, vector } from './fixture-codes.js';
import { fmtMs, fmtRatio, table, timeIt } from './timing.js';
import { browserVerifyBench } from './core-browser.js';

export async function contextFor(name: string, backend: Ed25519Backend): Promise<{ qr: string; ctx: VerifyContext }> {
	const v = vector(name);
	const t = await openTrustList(fromBase64Url(v.trustList!)!, { rootPublicKey: fromBase64Url(v.rootPublicKey)!, backend });
	if (!t.ok) throw new Error(t.detail);
	const s = await openStatusList(fromBase64Url(v.statusList!)!, { trustList: t.list, backend });
	if (!s.ok) throw new Error(s.detail);
	return { qr: v.qr, ctx: { trustList: t.list, statusLists: [s.list], now: Date.parse(v.now), backend } };
}

async function verifySection(): Promise<string> {
	const rows: string[][] = [];
	const base = await contextFor('valid-green', tweetnaclBackend);
	const tweet = await timeIt(() => verifyCode(base.qr, base.ctx));
	for (const backend of [createWebCryptoBackend(), createNodeBackend()]) {
		const c = await contextFor('valid-green', backend);
		const v = await verifyCode(c.qr, c.ctx);
		if (v.verdict !== 'valid') throw new Error(`bench fixture did not verify: ${v.reason}`);
		const t = await timeIt(() => verifyCode(c.qr, c.ctx));
		rows.push(['Node', backend.name, fmtMs(t), fmtMs(tweet), fmtRatio(tweet / t)]);
	}
	const browser = await browserVerifyBench();
	rows.push(['Chromium', 'webcrypto', fmtMs(browser.fastMs), fmtMs(browser.tweetnaclMs), fmtRatio(browser.tweetnaclMs / browser.fastMs)]);
	return (
		'### Verify one live phone code (verifyCode: 2 Ed25519 checks + parsing), fast path vs tweetnacl\n\n' +
		table(['runtime', 'fast path', 'fast', 'tweetnacl', 'speed-up'], rows) +
		`\n\nTarget: fast path ≤ 1/100 of tweetnacl's time in Chromium (speed-up ≥ 100×). ` +
		`Chromium raw Ed25519 verify only: webcrypto ${fmtMs(browser.rawFastMs)} vs tweetnacl ${fmtMs(browser.rawTweetnaclMs)} = ${fmtRatio(browser.rawTweetnaclMs / browser.rawFastMs)}.\n`
	);
}

async function signSection(): Promise<string> {
	const seed = new Uint8Array(32).fill(5);
	const msg = new Uint8Array(200).fill(1);
	const tweet = tweetnaclKeyPair(seed);
	const node = nodeKeyPair(seed);
	const tTweet = await timeIt(() => tweet.sign(msg));
	const tNode = await timeIt(() => node.sign(msg));
	return (
		'### Sign (200-byte message)\n\n' +
		table(
			['backend', 'time', 'speed-up vs tweetnacl'],
			[
				['tweetnacl', fmtMs(tTweet), '1.0×'],
				['node:crypto', fmtMs(tNode), fmtRatio(tTweet / tNode)]
			]
		) +
		'\n\nTarget: node:crypto ≥ 50× tweetnacl.\n'
	);
}

function qrSection(): string {
	const inputs: [string, string][] = [
		['paper code', vector('valid-paper').qr],
		['live phone code (green, with last test)', vector('valid-green').qr],
		['live proxy code', vector('valid-proxy').qr],
		['live red code (1 reason)', vector('valid-red').qr],
		['EU DCC-sized reference', EU_DCC_REFERENCE]
	];
	const rows = inputs.map(([label, text]) => {
		const cells = (['L', 'M', 'Q'] as const).map((ecc) => {
			const q = QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: ecc });
			return `v${q.version} (${q.modules.size}²)`;
		});
		return [label, String(text.length), ...cells];
	});
	return (
		'### QR size (alphanumeric mode)\n\n' +
		table(['code', 'characters', 'ECC L', 'ECC M', 'ECC Q'], rows) +
		'\n\nTargets: live code ≤ version 12 at M (aim 11); paper code ≤ version 9 at M; EU DCC reference needs 15 at M.\n'
	);
}

export async function coreBench(): Promise<string> {
	const parts = [await verifySection(), await signSection(), qrSection()];
	try {
		const { readRateSection } = await import('./read-rate.js');
		parts.push(await readRateSection());
	} catch (e) {
		parts.push(`### zxing read rate\n\nnot measured: ${(e as Error).message}\n`);
	}
	return '## Core\n\n' + parts.join('\n');
}
