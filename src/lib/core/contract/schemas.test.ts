import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
	AreaOutcomeSchema,
	EndRiskAreaRequestSchema,
	RiskAreasResponseSchema,
	RulesPreviewSchema,
	VenuesResponseSchema
} from './console.js';
import { AppealSchema, CodesResponseSchema, ConfigResponseSchema, DeclarationOutcomeSchema, PaperCodeSchema } from './resident.js';
import { checkRegistration, SCAN_EVENT_FIELDS, ScanUploadResponseSchema, scanEventOf, type ScanEvent } from './scan-event.js';
import { requestKeys, toColour } from './shared.js';
import { OtpRequestSchema } from './resident.js';

const code = { codeId: 'c1', credential: 'AAAA', colour: 'green', reasons: [], kind: 'phone', iat: 1, exp: 2 };
const person = { personId: 'p1', relation: 'self', maskedName: '张*', idMasked: '4403**********1236', codes: [code], declaration: null };

describe('resident schemas', () => {
	it('accept what the server answers', () => {
		expect(v.is(CodesResponseSchema, { people: [person], serverTime: 5 })).toBe(true);
		expect(
			v.is(ConfigResponseSchema, {
				region: '440300',
				rootPublicKey: null,
				trustListMaxAgeSeconds: 1,
				statusListMaxAgeSeconds: 1,
				demo: true
			})
		).toBe(true);
		expect(v.is(DeclarationOutcomeSchema, { status: 'pending', declarationId: 'd' })).toBe(true);
		expect(v.is(DeclarationOutcomeSchema, { status: 'verified', declarationId: 'd', colour: 'yellow', codesIssued: true })).toBe(true);
		const appeal = { id: 'a', personId: 'p', codeId: null, text: 'why not', status: 'open', createdAt: 1, updatedAt: 1, resolution: null };
		expect(v.is(AppealSchema, appeal)).toBe(true);
	});

	it('refuse what the pages could not show', () => {
		expect(v.is(CodesResponseSchema, { people: [{ ...person, codes: [{ ...code, colour: 'blue' }] }], serverTime: 5 })).toBe(false);
		expect(v.is(CodesResponseSchema, { people: [{ ...person, relation: 'friend' }], serverTime: 5 })).toBe(false);
		expect(v.is(CodesResponseSchema, { people: [person] })).toBe(false);
		expect(v.is(DeclarationOutcomeSchema, { status: 'verified', declarationId: 'd' })).toBe(false);
		expect(
			v.is(PaperCodeSchema, { personId: 'p', text: 'TX1:', colour: 'green', reasons: [], maskedName: '张*', idSuffix: '1', iat: 1 })
		).toBe(false);
	});

	it('name the request fields the server accepts', () => {
		expect(requestKeys(OtpRequestSchema)).toEqual(['phone']);
	});

	it('narrow a stored colour, refusing anything else', () => {
		expect(toColour('red')).toBe('red');
		expect(() => toColour('blue')).toThrow(RangeError);
	});
});

describe('console schemas', () => {
	const recoloured = { evaluated: 3, changed: 1, transitions: { 'green→yellow': 1 }, ms: 4, workers: 0 };
	it('accept the recolouring summary with its extra counters', () => {
		const r = v.parse(AreaOutcomeSchema, { id: 'x', recoloured });
		expect(r.recoloured).toEqual(recoloured);
	});
	it('check risk areas, venues and previews', () => {
		const area = {
			id: 'a',
			name: 'n',
			level: 'high',
			shape: { type: 'cells', cells: ['c'] },
			from: '2026-01-01T00:00:00Z',
			until: null,
			active: true,
			createdBy: 'staff/x'
		};
		expect(v.is(RiskAreasResponseSchema, { areas: [area] })).toBe(true);
		expect(v.is(RiskAreasResponseSchema, { areas: [{ ...area, level: 'low' }] })).toBe(false);
		expect(v.is(RiskAreasResponseSchema, { areas: [{ ...area, shape: { type: 'polygon', ring: [[1, 2, 3]] } }] })).toBe(false);
		expect(
			v.is(VenuesResponseSchema, { venues: [{ id: 'v', name: 'n', region: '440305', policy: 'green-only', kind: 'market', guards: 0 }] })
		).toBe(true);
		expect(
			v.is(VenuesResponseSchema, { venues: [{ id: 'v', name: 'n', region: '440305', policy: 'anyone', kind: 'market', guards: 0 }] })
		).toBe(false);
		// migration 027: the kind is one of core/venue-kinds.ts
		expect(
			v.is(VenuesResponseSchema, { venues: [{ id: 'v', name: 'n', region: '440305', policy: 'green-only', kind: 'castle', guards: 0 }] })
		).toBe(false);
		const counts = { green: 1, yellow: 0, red: 0 };
		const preview = { total: 1, changed: 0, transitions: {}, before: counts, after: counts, fromVersion: 'a', toVersion: 'b' };
		expect(v.is(RulesPreviewSchema, preview)).toBe(true);
		expect(v.is(RulesPreviewSchema, { ...preview, after: { green: 1 } })).toBe(false);
	});
	it('take `until` with a zone only', () => {
		expect(v.is(EndRiskAreaRequestSchema, {})).toBe(true);
		expect(v.is(EndRiskAreaRequestSchema, { until: '2026-12-01T08:00:00+08:00' })).toBe(true);
		expect(v.is(EndRiskAreaRequestSchema, { until: '2026-12-01T08:00:00' })).toBe(false);
		expect(v.is(EndRiskAreaRequestSchema, { until: 'soonZ' })).toBe(false);
		expect(v.is(EndRiskAreaRequestSchema, { until: 5 })).toBe(false);
	});
});

describe('scan events and acks', () => {
	it('upload exactly the wire fields', () => {
		const e: ScanEvent = {
			eventId: 'e',
			deviceId: 'd',
			seq: 1,
			venueId: 'v',
			scannedAt: 0,
			codeId: null,
			verdict: 'valid',
			reason: 'ok',
			prevHash: '',
			hash: 'h'
		};
		expect(Object.keys(scanEventOf({ ...e, state: 'pending' } as ScanEvent))).toEqual(
			SCAN_EVENT_FIELDS.filter((f) => f !== 'registration')
		);
		const registration = { name: '张三丰', phone: '13800138000', at: 5 };
		expect(Object.keys(scanEventOf({ ...e, registration, state: 'pending' } as ScanEvent))).toEqual([...SCAN_EVENT_FIELDS]);
		expect(scanEventOf({ ...e, registration }).registration).toEqual(registration);
	});
	it('checkRegistration: name and phone required, phone 7–15 digits, cleaned', () => {
		expect(checkRegistration({ name: '  张  三丰 ', phone: '138-0013 8000', at: 9 })).toEqual({
			ok: true,
			registration: { name: '张 三丰', phone: '13800138000', at: 9 }
		});
		expect(checkRegistration({ name: 'Li Na', phone: '+852 9123 4567', at: 1 })).toMatchObject({
			ok: true,
			registration: { phone: '+85291234567' }
		});
		expect(checkRegistration({ name: ' ', phone: '', at: 1 })).toEqual({
			ok: false,
			problems: [
				{ field: 'name', problem: 'required' },
				{ field: 'phone', problem: 'required' }
			]
		});
		expect(checkRegistration({ name: 'x'.repeat(41), phone: '12ab', at: 1 })).toEqual({
			ok: false,
			problems: [
				{ field: 'name', problem: 'too-long' },
				{ field: 'phone', problem: 'invalid' }
			]
		});
		expect(checkRegistration({ name: 'a', phone: '123456', at: 1 })).toMatchObject({ ok: false });
		expect(checkRegistration({ name: 'a', phone: '1234567', at: -1 })).toMatchObject({ ok: false });
		expect(checkRegistration({ name: 1, phone: null, at: 1 })).toMatchObject({ ok: false });
	});
	it('check the server answer', () => {
		const ok = {
			acks: [
				{ eventId: 'e', status: 'accepted', seq: 1 },
				{ eventId: null, status: 'rejected', reason: 'bad-seq' }
			],
			gaps: [[2, 3]]
		};
		expect(v.is(ScanUploadResponseSchema, ok)).toBe(true);
		expect(v.is(ScanUploadResponseSchema, { acks: [{ eventId: 'e', status: 'lost' }], gaps: [] })).toBe(false);
		expect(v.is(ScanUploadResponseSchema, { acks: [] })).toBe(false);
	});
});
