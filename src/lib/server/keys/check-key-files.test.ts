import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { hmacKey, phoneKey } from '../secrets.js';
import { checkKeyFiles, KeyFileError } from './check-key-files.js';
import { KeyStore, newKey } from './keystore.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tx-keyfiles-'));
	mkdirSync(join(dir, 'keys'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function issuerFile(): string {
	const store = new KeyStore(dir);
	const k = { ...newKey(), region: '440300', notBefore: 0, notAfter: 2_000_000_000, status: 'active' as const };
	store.writeIssuer(k);
	return join(dir, 'keys', `issuer-${k.kid}.json`);
}

function refusal(env: NodeJS.ProcessEnv = {}): KeyFileError {
	try {
		checkKeyFiles(dir, env);
	} catch (e) {
		if (e instanceof KeyFileError) return e;
		throw e;
	}
	throw new Error('expected a KeyFileError');
}

describe('checkKeyFiles', () => {
	it('accepts good files and an absent keys folder', () => {
		issuerFile();
		new KeyStore(dir).writeRoot(newKey());
		writeFileSync(join(dir, 'keys', 'hmac.key'), toBase64Url(new Uint8Array(32).fill(7)) + '\n');
		expect(() => checkKeyFiles(dir, {})).not.toThrow();
		expect(() => checkKeyFiles(join(dir, 'nothing-here'), {})).not.toThrow();
	});

	it.each([
		['empty', '', /hmac\.key: empty/],
		['garbled', '%%% not base64 %%%', /hmac\.key: not base64url/],
		['short', toBase64Url(new Uint8Array(16)), /hmac\.key: 16 bytes; at least 32/]
	])('refuses a %s hmac.key, naming the file', (_label, text, message) => {
		writeFileSync(join(dir, 'keys', 'hmac.key'), text);
		const e = refusal();
		expect(e.message).toMatch(message);
		expect(e.file).toBe(join(dir, 'keys', 'hmac.key'));
		// the running server reads it through hmacKey: the same refusal there, never a zero-length key
		expect(() => hmacKey(dir, {})).toThrow(KeyFileError);
	});

	it.each([
		['empty', '', /phone\.key: empty/],
		['garbled', '%%% not base64 %%%', /phone\.key: not base64url/],
		['short', toBase64Url(new Uint8Array(16)), /phone\.key: 16 bytes; an AES-256 key is exactly 32/],
		['long', toBase64Url(new Uint8Array(48)), /phone\.key: 48 bytes; an AES-256 key is exactly 32/]
	])('refuses a %s phone.key, naming the file', (_label, text, message) => {
		writeFileSync(join(dir, 'keys', 'phone.key'), text);
		const e = refusal();
		expect(e.message).toMatch(message);
		expect(e.file).toBe(join(dir, 'keys', 'phone.key'));
		expect(() => phoneKey(dir, {})).toThrow(KeyFileError);
	});

	it('creates phone.key once (0600, 32 bytes) and reads the same key back; TONGXING_PHONE_KEY overrides it', () => {
		const key = phoneKey(dir, {});
		expect(key).toHaveLength(32);
		const path = join(dir, 'keys', 'phone.key');
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(() => checkKeyFiles(dir, {})).not.toThrow();
		const env = { TONGXING_PHONE_KEY: toBase64Url(new Uint8Array(32).fill(3)) };
		expect(phoneKey(dir, env)).toEqual(new Uint8Array(32).fill(3));
		expect(refusal({ TONGXING_PHONE_KEY: toBase64Url(new Uint8Array(31)) }).message).toMatch(/^TONGXING_PHONE_KEY: 31 bytes/);
	});

	it('refuses a short TONGXING_HMAC_SECRET', () => {
		expect(refusal({ TONGXING_HMAC_SECRET: toBase64Url(new Uint8Array(8)) }).message).toMatch(/^TONGXING_HMAC_SECRET: 8 bytes/);
		expect(refusal({ TONGXING_HMAC_SECRET: '' }).message).toMatch(/^TONGXING_HMAC_SECRET: empty/);
	});

	it('refuses a truncated issuer key file, naming it', () => {
		const path = issuerFile();
		writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
		const e = refusal();
		expect(e.file).toBe(path);
		expect(e.message).toMatch(/not readable JSON \(truncated or garbled\)/);
	});

	it('refuses an issuer key whose seed does not derive its public key', () => {
		const path = issuerFile();
		const k = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
		writeFileSync(path, JSON.stringify({ ...k, seed: newKey().seed }));
		expect(refusal().message).toMatch(/the seed does not match publicKey/);
	});

	it('refuses wrong lengths, missing fields and a wrong kid', () => {
		const path = issuerFile();
		const k = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
		writeFileSync(path, JSON.stringify({ ...k, seed: toBase64Url(new Uint8Array(16)) }));
		expect(refusal().message).toMatch(/seed must be 32 bytes/);
		writeFileSync(path, JSON.stringify({ ...k, region: undefined }));
		expect(refusal().message).toMatch(/missing region/);
		writeFileSync(path, JSON.stringify({ ...k, kid: '0000000000000000' }));
		expect(refusal().message).toMatch(/kid is not/);
	});
});
