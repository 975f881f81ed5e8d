import { issuer } from '$lib/server/app';
import { parseDeviceKey } from '$lib/server/issuer/accounts';
import { registerDevice } from '$lib/server/issuer/device';
import { requireResident } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { DeviceRequestSchema } from '$lib/core/contract/resident';
import { respond } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Registers this device's public key; phone codes are bound to it from the next issuance on. */
export const PUT: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const body = await readRequest(request, DeviceRequestSchema, 1024);
		const key = parseDeviceKey(body.publicKey);
		// A new key replaces the old one and the codes bound to it (nothing happens when it is the same key).
		await registerDevice(deps, account.id, key);
		return new Response(null, { status: 204 });
	});
