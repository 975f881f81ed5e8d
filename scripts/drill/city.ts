/**
 * The drill's city: the synthetic demo city (`tongxing seed`, src/demo/seed-city.ts) written into the run's own
 * storage, the same generator run here to know who lives in it (name, ID number, phone: what a resident types
 * into the app), guard devices enrolled through the console's API (as an officer does it), and the phones and
 * scanners onboarded with the apps' own client code (sim/).
 */
import { generateCity } from '../../src/demo/city/city.js';
import { DEMO_STAFF } from '../../src/demo/seed-staff.js';
import { parseEnrolment, type Enrolment } from '../../src/lib/core/contract/enrolment.js';
import { cli, type Storage } from './servers.js';
import type { Identity } from './sim/sim-resident.js';

/** Phones per resident in the generated city is below 1 (children, some elderly people): seed this many more. */
const CITY_PER_PHONE = 1.6;

/**
 * Seeds a city big enough for `phones` residents with a phone (or of `cityResidents`, when that is more), and returns
 * that many of them (adults first).
 */
export async function seedCity(storage: Storage, phones: number, cityResidents = 0): Promise<Identity[]> {
	const residents = Math.max(50, Math.ceil(phones * CITY_PER_PHONE), cityResidents);
	const start = Math.floor(Date.now() / 1000);
	await cli(storage, ['seed', '--residents', String(residents)]);
	const city = generateCity({ start, residents });
	const out: Identity[] = [];
	for (const h of city.households()) {
		for (const p of h.members) {
			if (p.phone && out.length < phones) out.push({ name: p.name, idNumber: p.idNumber, phone: p.phone, region: h.region });
		}
		if (out.length >= phones) break;
	}
	if (out.length < phones) throw new Error(`the seeded city has ${out.length} residents with a phone, ${phones} wanted`);
	return out;
}

const json = (origin: string, cookie?: string): Record<string, string> => ({
	'content-type': 'application/json',
	origin,
	'sec-fetch-site': 'same-origin',
	...(cookie ? { cookie } : {})
});

async function must<T>(res: Promise<Response>, what: string): Promise<{ body: T; res: Response }> {
	const r = await res;
	if (!r.ok) throw new Error(`${what}: HTTP ${r.status} ${await r.text()}`);
	return { body: (await r.json()) as T, res: r };
}

/** The root public key the scanners pin (GET /api/v1/config, as a scanner enrolled without one takes it). */
export async function rootPublicKey(origin: string): Promise<string> {
	const { body } = await must<{ rootPublicKey?: string | null }>(fetch(`${origin}/api/v1/config`), 'GET /api/v1/config');
	if (!body.rootPublicKey) throw new Error('the server publishes no root public key');
	return body.rootPublicKey;
}

/** Enrols `n` guard devices across the city's venues through the console (one staff sign-in). */
export async function enrolScanners(origin: string, n: number): Promise<Enrolment[]> {
	const signIn = await must<unknown>(
		fetch(`${origin}/api/v1/staff/session`, {
			method: 'POST',
			headers: json(origin),
			body: JSON.stringify({ username: DEMO_STAFF.username, password: DEMO_STAFF.password })
		}),
		'staff sign-in'
	);
	const cookie = signIn.res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.join('; ');
	const { body } = await must<{ venues: { id: string }[] }>(
		fetch(`${origin}/api/v1/console/venues`, { headers: json(origin, cookie) }),
		'GET /api/v1/console/venues'
	);
	if (!body.venues.length) throw new Error('the city has no venues');
	const out: Enrolment[] = [];
	const PARALLEL = 8;
	for (let i = 0; i < n; i += PARALLEL) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(PARALLEL, n - i) }, async (_, k) => {
				const venue = body.venues[(i + k) % body.venues.length]!;
				const r = await must<{ code: string }>(
					fetch(`${origin}/api/v1/console/venues/${venue.id}/guards`, { method: 'POST', headers: json(origin, cookie) }),
					'enrol a guard device'
				);
				const parsed = parseEnrolment(r.body.code);
				if (!parsed.ok) throw new Error(`enrolment code: ${parsed.problem}`);
				return parsed.enrolment;
			})
		);
		out.push(...batch);
	}
	return out;
}

/** The newest one-time code the demo server "sent" to `phone` (its SMS outbox, demo mode only). */
export async function readOtp(origin: () => string, phone: string): Promise<string> {
	const { body } = await must<{ messages: { text: string }[] }>(fetch(`${origin()}/api/v1/dev/outbox?phone=${phone}`), 'SMS outbox');
	const code = /\d{6}/.exec(body.messages[0]?.text ?? '')?.[0];
	if (!code) throw new Error(`no one-time code for ${phone}`);
	return code;
}
