/**
 * The enrolment code a guard device is set up with (printed by `tongxing guard enrol VENUE-ID`, as text or a
 * QR): `TXE1:` + base64url(JSON { v: 1, deviceId, token, venue: { id, name, region, policy }, rootPublicKey? }).
 * The bare JSON is accepted too. The root key pins the trust list; an enrolment without one takes the key from
 * the server's /api/v1/config once, at enrolment (trust on first use, while the authority is enrolling it).
 */
import { fromBase64Url } from '$lib/core/bytes';
import { REGION_RE } from '$lib/core/claims';
import { isEntryPolicy, type EntryPolicy } from './entry-policy';

export const ENROLMENT_PREFIX = 'TXE1:';

export interface Enrolment {
	v: 1;
	deviceId: string;
	token: string;
	venue: { id: string; name: string; region: string; policy: EntryPolicy };
	rootPublicKey?: string;
}

export type EnrolmentProblem = 'not-an-enrolment-code' | 'bad-field';

const ID_RE = /^[A-Za-z0-9_-]{4,64}$/;

export function parseEnrolment(
	text: string
): { ok: true; enrolment: Enrolment } | { ok: false; problem: EnrolmentProblem; detail: string } {
	const trimmed = text.trim();
	let json: string;
	if (trimmed.startsWith(ENROLMENT_PREFIX)) {
		const bytes = fromBase64Url(trimmed.slice(ENROLMENT_PREFIX.length));
		if (!bytes) return { ok: false, problem: 'not-an-enrolment-code', detail: 'not base64url after TXE1:' };
		json = new TextDecoder().decode(bytes);
	} else if (trimmed.startsWith('{')) json = trimmed;
	else return { ok: false, problem: 'not-an-enrolment-code', detail: 'expected TXE1:… or JSON' };
	let o: unknown;
	try {
		o = JSON.parse(json);
	} catch {
		return { ok: false, problem: 'not-an-enrolment-code', detail: 'not JSON' };
	}
	const bad = (detail: string) => ({ ok: false as const, problem: 'bad-field' as const, detail });
	if (typeof o !== 'object' || o === null) return bad('not an object');
	const e = o as Record<string, unknown>;
	const venue = e.venue as Record<string, unknown> | undefined;
	if (e.v !== 1) return bad('v must be 1');
	if (typeof e.deviceId !== 'string' || !ID_RE.test(e.deviceId)) return bad('deviceId');
	if (typeof e.token !== 'string' || !/^[A-Za-z0-9_-]{16,100}$/.test(e.token)) return bad('token');
	if (typeof venue !== 'object' || venue === null) return bad('venue');
	if (typeof venue.id !== 'string' || !ID_RE.test(venue.id)) return bad('venue.id');
	if (typeof venue.name !== 'string' || !venue.name.trim() || venue.name.length > 60) return bad('venue.name');
	if (typeof venue.region !== 'string' || !REGION_RE.test(venue.region)) return bad('venue.region');
	if (!isEntryPolicy(venue.policy)) return bad('venue.policy');
	if (e.rootPublicKey !== undefined && (typeof e.rootPublicKey !== 'string' || fromBase64Url(e.rootPublicKey)?.length !== 32))
		return bad('rootPublicKey');
	return {
		ok: true,
		enrolment: {
			v: 1,
			deviceId: e.deviceId,
			token: e.token,
			venue: { id: venue.id, name: venue.name, region: venue.region, policy: venue.policy },
			...(typeof e.rootPublicKey === 'string' ? { rootPublicKey: e.rootPublicKey } : {})
		}
	};
}
