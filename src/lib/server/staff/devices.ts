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

/** One field error per bad field (the console lists them under the problem), in both languages. */
const FIELD_MESSAGES = {
	name: { 'zh-CN': '名称须为 1–60 个字符', en: 'the name must be 1–60 characters' },
	region: { 'zh-CN': '行政区划代码须为六位数字（GB/T 2260）', en: 'the region must be a six-digit GB/T 2260 code' },
	kind: { 'zh-CN': '类型须为列表中的一项', en: 'the kind must be one from the list' },
	policy: { 'zh-CN': '入场规则须为列表中的一项', en: 'the entry policy must be one from the list' }
} as const;

function invalid(fields: (keyof typeof FIELD_MESSAGES)[]): DomainError {
	return new DomainError('venue/invalid', {
		detail: fields.join(', '),
		errors: fields.map((field) => ({ field, code: `venue/${field}`, message: FIELD_MESSAGES[field] }))
	});
}

interface VenueFields {
	name: string;
	kind: VenueKind;
	policy: EntryPolicy;
}

function venueFields(input: { name?: unknown; region?: unknown; kind?: unknown; policy?: unknown }, withRegion: boolean): VenueFields {
	const name = typeof input.name === 'string' ? input.name.trim() : '';
	const bad: (keyof typeof FIELD_MESSAGES)[] = [];
	if (!name || name.length > 60) bad.push('name');
	if (withRegion && (typeof input.region !== 'string' || !REGION_RE.test(input.region))) bad.push('region');
	if (!isVenueKind(input.kind)) bad.push('kind');
	if (typeof input.policy !== 'string' || !(ENTRY_POLICIES as readonly string[]).includes(input.policy)) bad.push('policy');
	if (bad.length) throw invalid(bad);
	return { name, kind: input.kind as VenueKind, policy: input.policy as EntryPolicy };
}

export async function addVenueFromConsole(
	deps: IssuerDeps,
	staffId: string,
	input: { name?: unknown; region?: unknown; kind?: unknown; policy?: unknown }
): Promise<VenueDetail> {
	const f = venueFields(input, true);
	const region = input.region as string;
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
	const f = venueFields(input, false);
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
