/**
 * tongxing venue add --name NAME [--region CODE] [--policy green-only|green-negative-48h|green-negative-72h|yellow-with-registration]
 * tongxing guard enrol VENUE-ID
 *   Prints one JSON line: the enrolment (device id, upload token, venue, region, entry policy), the pinned root
 *   public key, and `code`: the same as `TXE1:` + base64url(JSON), the text (or QR) the scanner at /scan is
 *   enrolled with (docs/scanner.md).
 */
import { parseArgs } from 'node:util';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { guardEnrolmentCode } from '../lib/server/scans/enrolment-code.js';
import { addVenue, ENTRY_POLICIES, revokeGuard, type EntryPolicy } from '../lib/server/scans/guards.js';
import { UsageError } from './usage-error.js';

async function withIssuer<T>(fn: (deps: Awaited<ReturnType<typeof issuer>>) => Promise<T>): Promise<T> {
	try {
		return await fn(await issuer());
	} finally {
		await closeDatabase();
	}
}

export async function venueCommand(argv: string[], _dataDir: string, nowMs: number): Promise<number> {
	const [sub, ...rest] = argv;
	if (sub !== 'add') throw new UsageError('usage: tongxing venue add --name NAME [--region CODE] [--policy POLICY]');
	const { values } = parseArgs({
		args: rest,
		options: { name: { type: 'string' }, region: { type: 'string' }, policy: { type: 'string' } }
	});
	if (!values.name) throw new UsageError('venue add needs --name');
	const policy = (values.policy ?? 'green-only') as EntryPolicy;
	if (!ENTRY_POLICIES.includes(policy)) throw new UsageError(`--policy must be one of ${ENTRY_POLICIES.join(', ')}`);
	const id = await withIssuer(async (deps) => {
		try {
			return await addVenue(deps.db, { name: values.name!, region: values.region ?? deps.config.region, policy, nowMs });
		} catch (e) {
			if (e instanceof RangeError) throw new UsageError(e.message);
			throw e;
		}
	});
	process.stdout.write(`${id}\n`);
	return 0;
}

export async function guardCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const [sub, venueId, ...rest] = argv;
	if (sub === 'revoke') {
		const deviceId = venueId;
		if (!deviceId || rest.length) throw new UsageError('usage: tongxing guard revoke DEVICE-ID');
		await withIssuer(async (deps) => {
			try {
				await revokeGuard(deps.db, deviceId, nowMs);
			} catch (e) {
				if (e instanceof RangeError) throw new UsageError(e.message);
				throw e;
			}
		});
		process.stdout.write(`guard device ${deviceId} revoked: its uploads are refused from now on\n`);
		return 0;
	}
	if (sub !== 'enrol' || !venueId || rest.length) throw new UsageError('usage: tongxing guard enrol VENUE-ID | guard revoke DEVICE-ID');
	const enrolment = await withIssuer(async (deps) => {
		try {
			return await guardEnrolmentCode(deps.db, deps.hmacKey, dataDir, venueId, nowMs);
		} catch (e) {
			if (e instanceof RangeError) throw new UsageError(e.message);
			throw e;
		}
	});
	process.stdout.write(JSON.stringify(enrolment) + '\n');
	return 0;
}
