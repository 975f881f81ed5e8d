/**
 * The enrolment code a guard device is set up with, written once for both ends: the server makes it
 * (POST /api/v1/console/venues/[id]/guards, `tongxing guard enrol VENUE-ID`, server/scans/enrolment-code.ts) and
 * the scanner reads it (/scan, client/scanner/scanner.svelte.ts), as text or a QR:
 * `TXE1:` + base64url(JSON { v: 1, deviceId, token, venue: { id, name, region, policy }, rootPublicKey? }).
 * The bare JSON is accepted too. The root key pins the trust list; an enrolment without one takes the key from
 * the server's /api/v1/config once, at enrolment (trust on first use, while the authority is enrolling it).
 */
import * as v from 'valibot';
import { fromBase64Url, toBase64Url } from '../bytes.js';
import { REGION_RE } from '../claims.js';
import { EntryPolicySchema } from './entry-policy.js';

export const ENROLMENT_PREFIX = 'TXE1:';

const ID_RE = /^[A-Za-z0-9_-]{4,64}$/;

export const EnrolmentVenueSchema = v.object({
	id: v.pipe(v.string(), v.regex(ID_RE)),
	name: v.pipe(
		v.string(),
		v.check((s) => s.trim().length > 0),
		v.maxLength(60)
	),
	region: v.pipe(v.string(), v.regex(REGION_RE)),
	policy: EntryPolicySchema
});

/** What the code carries; checked in this key order, so the first bad field is the one reported. */
export const EnrolmentSchema = v.object({
	v: v.literal(1),
	deviceId: v.pipe(v.string(), v.regex(ID_RE)),
	token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,100}$/)),
	venue: EnrolmentVenueSchema,
	rootPublicKey: v.optional(
		v.pipe(
			v.string(),
			v.check((s) => fromBase64Url(s)?.length === 32)
		)
	)
});
export type Enrolment = v.InferOutput<typeof EnrolmentSchema>;

/** The console's answer: the enrolment plus its `code`, shown once as text and QR. */
export const EnrolmentWithCodeSchema = v.object({
	...EnrolmentSchema.entries,
	code: v.pipe(v.string(), v.startsWith(ENROLMENT_PREFIX))
});
export type EnrolmentWithCode = v.InferOutput<typeof EnrolmentWithCodeSchema>;

export function encodeEnrolment(e: Enrolment): string {
	return ENROLMENT_PREFIX + toBase64Url(new TextEncoder().encode(JSON.stringify(e)));
}

/**
 * - not-an-enrolment-code: neither `TXE1:` nor JSON (a health code, a URL, a typo);
 * - damaged: starts with `TXE1:` but does not decode to a valid enrolment (cut short, mistyped, an old format):
 *   the guard needs a new code from the authority, not a lesson in prefixes (`detail` says what broke);
 * - bad-field: bare JSON (typed by an operator) with this field wrong.
 */
export type EnrolmentProblem = 'not-an-enrolment-code' | 'damaged' | 'bad-field';

export function parseEnrolment(
	text: string
): { ok: true; enrolment: Enrolment } | { ok: false; problem: EnrolmentProblem; detail: string } {
	const trimmed = text.trim();
	const prefixed = trimmed.startsWith(ENROLMENT_PREFIX);
	let json: string;
	if (prefixed) {
		const bytes = fromBase64Url(trimmed.slice(ENROLMENT_PREFIX.length));
		if (!bytes) return { ok: false, problem: 'damaged', detail: 'not base64url after TXE1:' };
		json = new TextDecoder().decode(bytes);
	} else if (trimmed.startsWith('{')) json = trimmed;
	else return { ok: false, problem: 'not-an-enrolment-code', detail: 'expected TXE1:… or JSON' };
	let o: unknown;
	try {
		o = JSON.parse(json);
	} catch {
		return { ok: false, problem: prefixed ? 'damaged' : 'not-an-enrolment-code', detail: 'not JSON' };
	}
	const r = v.safeParse(EnrolmentSchema, o, { abortEarly: true });
	if (r.success) return { ok: true, enrolment: r.output };
	const path = (r.issues[0].path ?? []).map((p) => String(p.key)).join('.');
	const detail = path === '' ? 'not an object' : path === 'v' ? 'v must be 1' : path;
	return { ok: false, problem: prefixed ? 'damaged' : 'bad-field', detail };
}
