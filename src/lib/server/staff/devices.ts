/**
 * The console's venues, guard devices and data-source keys (issue 15, "People and devices"): add and edit a venue
 * (name, kind, entry policy), enrol a guard phone for a venue (the code shown once, as text and QR), add a
 * data-source key (shown once). Each is audited in the same transaction (`venue.add`, `venue.edit`,
 * `device.enrol`, `source-key.add`); revocations are in credentials.ts. Admin only (the routes ask for it).
 */
import type { AddedSourceKey, VenueDetail } from '../../core/contract/console-people.js';
import type { EnrolmentWithCode } from '../../core/contract/enrolment.js';
import { ENTRY_POLICIES, type EntryPolicy } from '../../core/contract/entry-policy.js';
import { REGION_RE } from '../../core/claims.js';
import { isVenueKind, type VenueKind } from '../../core/venue-kinds.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { guardEnrolmentCode } from '../scans/enrolment-code.js';
import { addVenue } from '../scans/guards.js';
import { addSourceKeyWithId, SOURCES, type Source } from '../sources/sources.js';
import { transaction } from '../store/db.js';
import { updateVenue, venueById } from '../store/venues.js';
import { actorName } from './staff-accounts.js';

interface VenueFields {
	name: string;
	kind: VenueKind;
	policy: EntryPolicy;
}

function venueFields(input: { name?: unknown; kind?: unknown; policy?: unknown }): VenueFields {
	const name = typeof input.name === 'string' ? input.name.trim() : '';
	if (!name || name.length > 60) throw new DomainError('venue/invalid', { detail: 'name' });
	if (!isVenueKind(input.kind)) throw new DomainError('venue/invalid', { detail: 'kind' });
	if (typeof input.policy !== 'string' || !(ENTRY_POLICIES as readonly string[]).includes(input.policy))
		throw new DomainError('venue/invalid', { detail: 'policy' });
	return { name, kind: input.kind, policy: input.policy as EntryPolicy };
}

export async function addVenueFromConsole(
	deps: IssuerDeps,
	staffId: string,
	input: { name?: unknown; region?: unknown; kind?: unknown; policy?: unknown }
): Promise<VenueDetail> {
	const f = venueFields(input);
	if (typeof input.region !== 'string' || !REGION_RE.test(input.region)) throw new DomainError('venue/invalid', { detail: 'region' });
	const region = input.region;
	const actor = await actorName(deps, staffId);
	const now = deps.clock();
	const id = await transaction(deps.db, async (tx) => {
		const id = await addVenue(tx, { name: f.name, region, policy: f.policy, nowMs: now });
		await updateVenue(tx, id, { name: f.name, kind: f.kind, policy_json: JSON.stringify({ policy: f.policy }) });
		await recordStaffAction(tx, {
			actor,
			action: 'venue.add',
			target: id,
			detail: { name: f.name, kind: f.kind, policy: f.policy },
			at: now
		});
		return id;
	});
	return { id, name: f.name, region, kind: f.kind, policy: f.policy };
}

/**
 * A venue's name, kind and entry policy. Phones already enrolled carry the venue's policy in their enrolment code
 * and keep checking by it until they are enrolled again (the page says so).
 */
export async function editVenue(
	deps: IssuerDeps,
	staffId: string,
	id: string,
	input: { name?: unknown; kind?: unknown; policy?: unknown }
): Promise<VenueDetail> {
	const f = venueFields(input);
	const actor = await actorName(deps, staffId);
	const now = deps.clock();
	return transaction(deps.db, async (tx) => {
		const before = await venueById(tx, id);
		if (!before) throw new DomainError('venue/not-found');
		await updateVenue(tx, id, { name: f.name, kind: f.kind, policy_json: JSON.stringify({ policy: f.policy }) });
		const was = JSON.parse(before.policy_json) as { policy: EntryPolicy };
		await recordStaffAction(tx, {
			actor,
			action: 'venue.edit',
			target: id,
			detail: { from: { name: before.name, kind: before.kind, policy: was.policy }, to: f },
			at: now
		});
		return { id, name: f.name, region: before.region, kind: f.kind, policy: f.policy };
	});
}

export async function enrolGuardFromConsole(deps: IssuerDeps, staffId: string, venueId: string): Promise<EnrolmentWithCode> {
	const actor = await actorName(deps, staffId);
	const now = deps.clock();
	try {
		return await transaction(deps.db, async (tx) => {
			const enrolment = await guardEnrolmentCode(tx, deps.hmacKey, deps.dataDir, venueId, now);
			await recordStaffAction(tx, { actor, action: 'device.enrol', target: enrolment.deviceId, detail: { venue: venueId }, at: now });
			return enrolment;
		});
	} catch (e) {
		if (e instanceof RangeError) throw new DomainError('venue/not-found');
		throw e;
	}
}

export async function addSourceKeyFromConsole(deps: IssuerDeps, staffId: string, source: unknown): Promise<AddedSourceKey> {
	if (typeof source !== 'string' || !(SOURCES as readonly string[]).includes(source)) throw new DomainError('source/unknown');
	const actor = await actorName(deps, staffId);
	const now = deps.clock();
	return transaction(deps.db, async (tx) => {
		const { id, apiKey } = await addSourceKeyWithId(tx, deps.hmacKey, source as Source, now);
		await recordStaffAction(tx, { actor, action: 'source-key.add', target: id, detail: { source }, at: now });
		return { id, source: source as Source, apiKey };
	});
}
