import { issuer } from '$lib/server/app';
import { parseDeviceKey } from '$lib/server/issuer/accounts';
import { supersedeDeviceCodes } from '$lib/server/issuer/device';
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
		const previous = await deps.db.selectFrom('accounts').select('device_key').where('id', '=', account.id).executeTakeFirstOrThrow();
		if (previous.device_key !== key) {
			await deps.db.transaction().execute(async (tx) => {
				await tx.updateTable('accounts').set({ device_key: key }).where('id', '=', account.id).execute();
				// Codes bound to the old device must not keep working on it.
				await supersedeDeviceCodes(deps, tx, account.id);
			});
		}
		return new Response(null, { status: 204 });
	});
