import { issuer } from '$lib/server/app';
import { bearerOrCookie, requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { notModified } from '$lib/server/issuer/codes-etag';
import { myCodes } from '$lib/server/issuer/my-codes';
import { toColour } from '$lib/core/contract/shared';
import type { CodesResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

const CACHE_CONTROL = 'private, no-cache';

/**
 * The server's own clock in `Date` (Node would write the machine's): the app corrects a wrong phone clock by it
 * (client/resident/time-floor.ts clockOffset), so it must be the clock the codes were signed by — which differs
 * from the machine's only on the demo clock (demo-clock.ts).
 */
const dateOf = (clock: () => number) => new Date(clock()).toUTCString();

/**
 * Current + next code for the holder and each member. ETag / If-None-Match → 304 when nothing changed: the
 * phone's periodic refresh is answered from one session ⋈ account lookup (codes-etag.ts); anything else
 * (no or stale ETag, a code expiring, a top-up due) takes the full path.
 */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const ifNoneMatch = request.headers.get('if-none-match');
		const unchanged = await notModified(deps.db, deps.hmacKey, bearerOrCookie(request, cookies), ifNoneMatch, deps.clock());
		if (unchanged)
			return new Response(null, { status: 304, headers: { etag: unchanged, 'cache-control': CACHE_CONTROL, date: dateOf(deps.clock) } });
		const account = await requireResident(deps, request, cookies);
		const { people, etag } = await myCodes(deps, account);
		const headers = { etag, 'cache-control': CACHE_CONTROL, date: dateOf(deps.clock) };
		if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
		const body: CodesResponse = {
			people: people.map((p) => ({ ...p, codes: p.codes.map((c) => ({ ...c, colour: toColour(c.colour) })) })),
			serverTime: deps.clock()
		};
		return jsonResponse(body, { headers });
	});
