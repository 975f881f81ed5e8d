/**
 * The console's "people and devices" endpoints (issue 15): staff accounts and roles, data-source keys added from
 * the console, venues added and edited, and the issuer keys (the trust list, rotation, compromise). Request bodies
 * are read with their schema's keys (server/http/read-request.ts) and checked by the services with their own codes.
 */
import * as v from 'valibot';
import { STAFF_ROLES } from '../staff-roles.js';
import { VENUE_KINDS } from '../venue-kinds.js';
import { EntryPolicySchema } from './entry-policy.js';
import { SourceSchema } from './import-kinds.js';

export const StaffRoleSchema = v.picklist(STAFF_ROLES);
export const VenueKindSchema = v.picklist(VENUE_KINDS);

// ── GET / POST /api/v1/console/staff, PUT …/[username]/role, POST …/[username]/disable ─────────────────
export const StaffAccountSchema = v.object({
	username: v.string(),
	role: StaffRoleSchema,
	/** ms */
	createdAt: v.number(),
	disabledAt: v.nullable(v.number()),
	/** ms: the newest activity of its sessions on record; null when none */
	lastSeenAt: v.nullable(v.number()),
	/** console sessions open now */
	openSessions: v.number()
});
export type StaffAccount = v.InferOutput<typeof StaffAccountSchema>;
export const StaffListResponseSchema = v.object({ staff: v.array(StaffAccountSchema) });
export type StaffListResponse = v.InferOutput<typeof StaffListResponseSchema>;
export const AddStaffRequestSchema = v.object({ username: v.string(), role: v.string() });
export type AddStaffRequest = v.InferOutput<typeof AddStaffRequestSchema>;
/** The new account with its first password, shown once (the member changes nothing: an admin hands it over). */
export const AddedStaffSchema = v.object({ username: v.string(), role: StaffRoleSchema, password: v.string() });
export type AddedStaff = v.InferOutput<typeof AddedStaffSchema>;
export const ChangeRoleRequestSchema = v.object({ role: v.string() });
export type ChangeRoleRequest = v.InferOutput<typeof ChangeRoleRequestSchema>;
export const DisabledStaffSchema = v.object({ username: v.string(), disabledAt: v.number(), sessionsEnded: v.number() });
export type DisabledStaff = v.InferOutput<typeof DisabledStaffSchema>;

// ── POST /api/v1/console/source-keys ──────────────────────────────────────────────────────────────────
export const AddSourceKeyRequestSchema = v.object({ source: v.string() });
export type AddSourceKeyRequest = v.InferOutput<typeof AddSourceKeyRequestSchema>;
/** `apiKey` is shown once: only its keyed hash is stored. */
export const AddedSourceKeySchema = v.object({ id: v.string(), source: SourceSchema, apiKey: v.string() });
export type AddedSourceKey = v.InferOutput<typeof AddedSourceKeySchema>;

// ── POST /api/v1/console/venues, PUT /api/v1/console/venues/[id] ─────────────────────────────────────
export const AddVenueRequestSchema = v.object({ name: v.string(), region: v.string(), kind: v.string(), policy: v.string() });
export type AddVenueRequest = v.InferOutput<typeof AddVenueRequestSchema>;
export const EditVenueRequestSchema = v.object({ name: v.string(), kind: v.string(), policy: v.string() });
export type EditVenueRequest = v.InferOutput<typeof EditVenueRequestSchema>;
export const VenueDetailSchema = v.object({
	id: v.string(),
	name: v.string(),
	region: v.string(),
	kind: VenueKindSchema,
	policy: EntryPolicySchema
});
export type VenueDetail = v.InferOutput<typeof VenueDetailSchema>;

// ── GET /api/v1/console/keys, POST …/keys/rotate, POST …/keys/[kid]/compromise ─────────────────────────
export const IssuerKeyViewSchema = v.object({
	kid: v.string(),
	region: v.string(),
	/** Unix seconds: the window in which it signs */
	notBefore: v.number(),
	notAfter: v.number(),
	status: v.picklist(['active', 'retired', 'compromised']),
	/** the key its region's codes are signed with now */
	signingNow: v.boolean(),
	/** the trust list this server serves names it with this status (false: waiting for the offline root's signature) */
	published: v.boolean()
});
export type IssuerKeyView = v.InferOutput<typeof IssuerKeyViewSchema>;
export const KeysResponseSchema = v.object({
	keys: v.array(IssuerKeyViewSchema),
	/** the root private key is on this server (demo): changes publish a new trust list at once */
	rootHere: v.boolean(),
	/** the version of the trust list this server serves (null: none yet) */
	trustListVersion: v.nullable(v.number())
});
export type KeysResponse = v.InferOutput<typeof KeysResponseSchema>;
/** `confirm`: the region typed again. */
export const RotateKeyRequestSchema = v.object({ region: v.string(), confirm: v.string() });
export type RotateKeyRequest = v.InferOutput<typeof RotateKeyRequestSchema>;
export const RotatedKeySchema = v.object({
	kid: v.string(),
	/** Unix seconds: it signs from then (the old key until then) */
	notBefore: v.number(),
	previous: v.array(v.string()),
	/** the published trust list's version; null when the root is offline (the operator's ceremony step) */
	version: v.nullable(v.number())
});
export type RotatedKey = v.InferOutput<typeof RotatedKeySchema>;
/** `confirm`: the kid typed again. */
export const CompromiseKeyRequestSchema = v.object({ confirm: v.string() });
export type CompromiseKeyRequest = v.InferOutput<typeof CompromiseKeyRequestSchema>;
export const CompromisedKeySchema = v.object({
	kid: v.string(),
	replacement: v.nullable(v.string()),
	version: v.nullable(v.number()),
	/** live codes it had signed, now revoked */
	codesRevoked: v.number(),
	/** people whose codes were re-issued with a good key */
	people: v.number()
});
export type CompromisedKey = v.InferOutput<typeof CompromisedKeySchema>;
