import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../bytes.js';
import { encodeEnrolment, EnrolmentWithCodeSchema, parseEnrolment, type Enrolment } from './enrolment.js';
import * as v from 'valibot';

const base: Enrolment = {
	v: 1,
	deviceId: 'dev12345',
	token: 'x'.repeat(43),
	venue: { id: 'demo-library', name: '南山图书馆', region: '440305', policy: 'green-only' }
};
const code = (o: unknown) => 'TXE1:' + toBase64Url(new TextEncoder().encode(JSON.stringify(o)));

describe('parseEnrolment', () => {
	it('accepts TXE1 codes and bare JSON, with or without a root key', () => {
		expect(parseEnrolment(code(base))).toMatchObject({ ok: true, enrolment: { venue: { policy: 'green-only' } } });
		expect(parseEnrolment(' ' + JSON.stringify(base) + '\n')).toMatchObject({ ok: true });
		const root = toBase64Url(new Uint8Array(32).fill(1));
		expect(parseEnrolment(code({ ...base, rootPublicKey: root }))).toMatchObject({ ok: true, enrolment: { rootPublicKey: root } });
	});
	it('calls a malformed TXE1 code damaged (not "should start with TXE1:"), and names the field that is wrong', () => {
		expect(parseEnrolment('TX1:ABC')).toMatchObject({ ok: false, problem: 'not-an-enrolment-code' });
		expect(parseEnrolment('TXE1:!!')).toMatchObject({ ok: false, problem: 'damaged' });
		expect(parseEnrolment(code(base).slice(0, -6))).toMatchObject({ ok: false, problem: 'damaged' });
		expect(parseEnrolment('TXE1:' + toBase64Url(new TextEncoder().encode('{"v":1')))).toEqual({
			ok: false,
			problem: 'damaged',
			detail: 'not JSON'
		});
		expect(parseEnrolment(JSON.stringify({ ...base, deviceId: 'a b' }))).toEqual({ ok: false, problem: 'bad-field', detail: 'deviceId' });
		expect(parseEnrolment('{nope')).toEqual({ ok: false, problem: 'not-an-enrolment-code', detail: 'not JSON' });
		expect(parseEnrolment('[]')).toMatchObject({ ok: false, problem: 'not-an-enrolment-code' });
		expect(parseEnrolment('{}')).toEqual({ ok: false, problem: 'bad-field', detail: 'v must be 1' });
		expect(parseEnrolment(code(null))).toEqual({ ok: false, problem: 'damaged', detail: 'not an object' });
		expect(parseEnrolment(code({ ...base, v: 2 }))).toEqual({ ok: false, problem: 'damaged', detail: 'v must be 1' });
		expect(parseEnrolment(code({ ...base, deviceId: 'a b' }))).toEqual({ ok: false, problem: 'damaged', detail: 'deviceId' });
		expect(parseEnrolment(code({ ...base, venue: undefined }))).toEqual({ ok: false, problem: 'damaged', detail: 'venue' });
		expect(parseEnrolment(code({ ...base, venue: { ...base.venue, policy: 'anyone' } }))).toEqual({
			ok: false,
			problem: 'damaged',
			detail: 'venue.policy'
		});
		expect(parseEnrolment(code({ ...base, venue: { ...base.venue, region: '999999' } }))).toEqual({
			ok: false,
			problem: 'damaged',
			detail: 'venue.region'
		});
		expect(parseEnrolment(code({ ...base, venue: { ...base.venue, name: '   ' } }))).toEqual({
			ok: false,
			problem: 'damaged',
			detail: 'venue.name'
		});
		expect(parseEnrolment(code({ ...base, token: 'short' }))).toEqual({ ok: false, problem: 'damaged', detail: 'token' });
		expect(parseEnrolment(code({ ...base, rootPublicKey: 'AAAA' }))).toEqual({ ok: false, problem: 'damaged', detail: 'rootPublicKey' });
	});
	it('round-trips what the server encodes, dropping fields it does not know', () => {
		const root = toBase64Url(new Uint8Array(32).fill(7));
		const e: Enrolment = { ...base, rootPublicKey: root };
		expect(parseEnrolment(encodeEnrolment(e))).toEqual({ ok: true, enrolment: e });
		expect(parseEnrolment(encodeEnrolment(base))).toEqual({ ok: true, enrolment: base });
		expect(parseEnrolment(code({ ...base, extra: 1 }))).toEqual({ ok: true, enrolment: base });
	});
	it('checks the console answer carries a TXE1 code', () => {
		expect(v.is(EnrolmentWithCodeSchema, { ...base, code: encodeEnrolment(base) })).toBe(true);
		expect(v.is(EnrolmentWithCodeSchema, { ...base, code: JSON.stringify(base) })).toBe(false);
	});
});
