import { describe, expect, it } from 'vitest';
import { toBase64Url } from '$lib/core/bytes';
import { parseEnrolment } from './enrolment';
import { backoffMs } from './sync';

const base = {
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
	it('names the field that is wrong', () => {
		expect(parseEnrolment('TX1:ABC')).toMatchObject({ ok: false, problem: 'not-an-enrolment-code' });
		expect(parseEnrolment('TXE1:!!')).toMatchObject({ ok: false, problem: 'not-an-enrolment-code' });
		expect(parseEnrolment(code({ ...base, venue: { ...base.venue, policy: 'anyone' } }))).toEqual({
			ok: false,
			problem: 'bad-field',
			detail: 'venue.policy'
		});
		expect(parseEnrolment(code({ ...base, venue: { ...base.venue, region: '999999' } }))).toEqual({
			ok: false,
			problem: 'bad-field',
			detail: 'venue.region'
		});
		expect(parseEnrolment(code({ ...base, token: 'short' }))).toEqual({ ok: false, problem: 'bad-field', detail: 'token' });
		expect(parseEnrolment(code({ ...base, rootPublicKey: 'AAAA' }))).toEqual({ ok: false, problem: 'bad-field', detail: 'rootPublicKey' });
	});
});

describe('backoffMs', () => {
	it('doubles from 2 s to a 5 min cap, jittered within the upper half', () => {
		expect(backoffMs(1, () => 0)).toBe(1000);
		expect(backoffMs(1, () => 1)).toBe(2000);
		expect(backoffMs(3, () => 1)).toBe(8000);
		expect(backoffMs(30, () => 1)).toBe(300_000);
		expect(backoffMs(30, () => 0)).toBe(150_000);
	});
});
