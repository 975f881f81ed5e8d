/**
 * Table types of the issuer's database, for Kysely (`Kysely<Database>`). Migration 001 creates these tables;
 * keep the two in step (a new column = a new migration + a change here).
 *
 * Portable column types only, so the SQLite file and PostgreSQL behave the same:
 * - text: `string`. Binary values (COSE bytes, hashes) are base64url text.
 * - times: integer Unix **milliseconds** (`number`). SQLite integers are 64-bit; in PostgreSQL the columns are
 *   `bigint`, and open.ts gives pg a type parser that returns INT8 (oid 20) as a JS number, not a string —
 *   safe because ms timestamps are far below 2^53 (the parser throws beyond Number.MAX_SAFE_INTEGER).
 * - small counters: `integer` (int4 in PostgreSQL).
 * - floating point: `double precision` (float8 in PostgreSQL, REAL affinity in SQLite).
 * - JSON: text, serialised and parsed by the repository (never by a driver), columns named `*_json`.
 * - booleans: integer 0/1.
 * Enumerations (relation, statuses) are unions here, checked in code, not CHECK constraints: SQLite cannot alter
 * a CHECK constraint without rebuilding the table.
 *
 * `Generated<T>` marks columns the database fills in (identity ids, defaults): optional on insert.
 */
import type { Generated } from 'kysely';

/** Unix time in milliseconds. */
export type Millis = number;

export interface AccountsTable {
	id: string;
	/** migration 013 (was `phone`): keyedHash(hmacKey, 'phone', phone); a clear phone only until the start-up step seals it */
	phone_hmac: string;
	/** migration 013: the phone sealed for this account (crypto/phone-seal.ts); null only on a row not yet converted */
	phone_enc: string | null;
	created_at: Millis;
	/** migration 002: the device's Ed25519 public key (base64url) that phone codes are bound to */
	device_key: string | null;
	/** migration 003: bumped with every change to the account's people, codes or declarations (issuer/codes-etag.ts) */
	codes_version: Generated<number>;
}

export type PersonRelation = 'self' | 'proxy';

export interface PeopleTable {
	id: string;
	account_id: string;
	/**
	 * keyed HMAC of the full ID number (lookups) — the number itself is never stored. Since migration 012 not
	 * unique: one live `self` row per person, and one live row per (account, person).
	 */
	id_hmac: string;
	id_masked: string;
	id_suffix: string;
	name_masked: string;
	region: string;
	relation: PersonRelation;
	/** for proxies: how consent was given (JSON or free text, repository's choice) */
	consent_evidence: string | null;
	created_at: Millis;
	removed_at: Millis | null;
}

export type DeclarationStatus = 'pending' | 'verified' | 'rejected';

export interface DeclarationsTable {
	id: string;
	person_id: string;
	submitted_at: Millis;
	data_json: string;
	status: DeclarationStatus;
	status_reason: string | null;
	checked_at: Millis | null;
}

export type CodeStatus = 'live' | 'revoked' | 'superseded';

export interface CodesTable {
	code_id: string;
	person_id: string;
	kid: string;
	iat: Millis;
	exp: Millis;
	colour: string;
	reasons_json: string;
	kind: string;
	holder_key: string | null;
	/** the signed COSE_Sign1 bytes, base64url */
	credential: string;
	status: CodeStatus;
	created_at: Millis;
	revoked_at: Millis | null;
}

/** Append-only audit of colour decisions. */
export interface ColourEventsTable {
	id: Generated<number>;
	person_id: string;
	at: Millis;
	colour: string;
	reasons_json: string;
	rule_version: string;
	facts_json: string;
	actor: string;
	/** the staff proposal behind this decision (migration 011), with its reason code */
	proposal_id: string | null;
	reason_code: string | null;
	/** the decision's explanation (recolour/explanation.ts stored form), migration 029; null before it or for staff decisions */
	explain_json: string | null;
}

export interface OtpChallengesTable {
	id: string;
	phone_hmac: string;
	code_hmac: string;
	expires_at: Millis;
	attempts: Generated<number>;
	used_at: Millis | null;
	created_at: Millis;
	client_ip: string;
}

export interface SessionsTable {
	/** HMAC of the bearer token; the token itself is never stored */
	token_hmac: string;
	account_id: string | null;
	role: string;
	subject: string;
	created_at: Millis;
	expires_at: Millis;
	last_seen_at: Millis;
}

export interface RateLimitsTable {
	bucket: string;
	/** start of the fixed window, ms */
	window_start: Millis;
	count: number;
}

export interface StaffTable {
	id: string;
	username: string;
	password_hash: string;
	created_at: Millis;
	disabled_at: Millis | null;
	/** migration 027: viewer | officer | approver | admin (core/staff-roles.ts) */
	role: string;
}

/** in-review (migration 024): an outcome was proposed and waits for a second officer */
export type AppealStatus = 'open' | 'in-review' | 'upheld' | 'rejected';
export type AppealOutcome = 'fact-corrected' | 'override' | 'rejected';

export interface AppealsTable {
	id: string;
	person_id: string;
	code_id: string | null;
	text: string;
	/** the contested reason code, when one was picked (migration 015) */
	reason: string | null;
	status: AppealStatus;
	created_at: Millis;
	updated_at: Millis;
	resolution: string | null;
	/** migration 024: how it ended (null while open) */
	outcome: AppealOutcome | null;
	/** migration 024: the staff proposal carrying the outcome out (fact correction, colour override) */
	proposal_id: string | null;
	/** migration 024: staff username, and when */
	resolved_by: string | null;
	resolved_at: Millis | null;
}

/** migration 024: append-only, one row per fact an officer corrected (appeals/, proposals/fact-correction.ts). */
export interface FactCorrectionsTable {
	id: Generated<number>;
	ref: string;
	/** test | case | contact | quarantine */
	fact_kind: string;
	fact_id: string;
	before_json: string;
	/** null: the record was removed */
	after_json: string | null;
	why: string;
	/** staff username */
	corrected_by: string;
	at: Millis;
	appeal_id: string | null;
	proposal_id: string | null;
}

export interface VenuesTable {
	id: string;
	name: string;
	region: string;
	policy_json: string;
	created_at: Millis;
	/** migration 027: what sort of place (core/venue-kinds.ts); `other` until set */
	kind: Generated<string>;
}

export interface GuardDevicesTable {
	id: string;
	venue_id: string;
	token_hmac: string;
	created_at: Millis;
	revoked_at: Millis | null;
	/** migration 013: who revoked it (`staff:ID`, `cli`) */
	revoked_by: string | null;
	last_seq: Generated<number>;
	last_hash: string | null;
}

export interface ScanEventsTable {
	event_id: string;
	device_id: string;
	seq: number;
	prev_hash: string;
	hash: string;
	/** no foreign key: codes from other regions are scanned too */
	code_id: string | null;
	verdict: string;
	reason: string;
	/** the device's clock */
	scanned_at: Millis;
	/** the server's clock */
	received_at: Millis;
	venue_id: string;
	/** migration 016: a yellow code's registration (policy yellow-with-registration), else null; purged with the scan */
	registration_name: string | null;
	/** the phone sealed (crypto/phone-seal.ts) with the event id as additional data */
	registration_phone_enc: string | null;
	registration_at: Millis | null;
}

export interface StatusEntriesTable {
	region: string;
	seq: number;
	code_id: string;
	revoked_at: Millis;
	/** the revoked code's exp (migration 009); null when the code is unknown here */
	exp: Millis | null;
}

export interface StatusListsTable {
	region: string;
	seq: number;
	issued_at: Millis;
}

export interface DataSourceKeysTable {
	id: string;
	source: string;
	key_hmac: string;
	created_at: Millis;
	revoked_at: Millis | null;
	/** migration 013: who revoked it (`staff:ID`, `cli`) */
	revoked_by: string | null;
}

/** Location history from data sources; purged after the retention period (retention.ts). */
export interface TrajectoryPointsTable {
	id: Generated<number>;
	phone_hmac: string;
	at: Millis;
	lat: number | null;
	lon: number | null;
	cell: string | null;
	accuracy_m: number | null;
	/** migration 004: grid cell (geo/grid.ts) of the point, for (grid, at) range scans; null if unplaced */
	grid: number | null;
}

/** migration 008: the carrier's cell table learned from trajectory points with a cell id. */
/** A file import in progress (migration 014, sources/import.ts): 'staging' while rows arrive, 'applying' once all are valid. */
export interface ImportRunsTable {
	id: string;
	kind: string;
	state: 'staging' | 'applying';
	/** the receipt time the facts are stored with */
	received_at: number;
	/** renewed by every batch; a run untouched for long was abandoned (crash) */
	touched_at: number;
}

/** One validated record of an import run, as JSON, in file order (seq). */
export interface ImportStagingTable {
	import_id: string;
	seq: number;
	payload: string;
}

export interface CellSitesTable {
	cell: string;
	lat: number;
	lon: number;
	/** the smallest accuracy radius reported for the cell (its nominal coverage) */
	radius_m: number;
}

/** migration 002: the demo SMS outbox. */
export interface SmsOutboxTable {
	phone: string;
	text: string;
	created_at: Millis;
}

/** migration 002: public-security household register (keyed hashes; filled by imports, seeded in demo mode). */
export interface HouseholdRegisterTable {
	id_hmac: string;
	name_hmac: string;
	region: string;
	household_id: string | null;
	updated_at: Millis;
}

/** migration 002: carrier phone registry: which ID number a phone is registered to. */
export interface PhoneRegistryTable {
	phone_hmac: string;
	id_hmac: string;
	updated_at: Millis;
}

/** migration 004: facts, keyed by `ref` = household_register.id_hmac (see migrations/004-facts.ts). */
export type TestResult = 'negative' | 'positive';

export interface HealthTestsTable {
	id: string;
	ref: string;
	sampled_at: Millis;
	result: TestResult;
	received_at: Millis;
	/** migration 022: the region that recorded this fact (federation); null: this region */
	source_region?: string | null;
}

export interface CasesTable {
	id: string;
	ref: string;
	confirmed_at: Millis;
	released_at: Millis | null;
	received_at: Millis;
	/** symptom onset and isolation, when reported (migration 019; the rules' infectious window) */
	onset_at: Millis | null;
	isolated_at: Millis | null;
	/** migration 022: the region that recorded this fact (federation); null: this region */
	source_region?: string | null;
}

export interface QuarantineOrdersTable {
	id: string;
	ref: string;
	from_at: Millis;
	until_at: Millis;
	received_at: Millis;
	/** migration 022: the region that recorded this fact (federation); null: this region */
	source_region?: string | null;
}

export type ContactKind = 'close' | 'secondary';

export interface ContactsTable {
	id: string;
	ref: string;
	kind: ContactKind;
	to_ref: string;
	exposed_at: Millis;
	received_at: Millis;
	/** migration 022: the region that recorded this fact (federation); null: this region */
	source_region?: string | null;
}

export type RiskLevel = 'high' | 'medium';

export interface RiskAreasTable {
	id: string;
	name: string;
	level: RiskLevel;
	/** RiskArea['shape'] of src/lib/core/rules/facts.ts */
	shape_json: string;
	bbox_west: number;
	bbox_south: number;
	bbox_east: number;
	bbox_north: number;
	from_at: Millis;
	until_at: Millis | null;
	created_at: Millis;
	created_by: string;
}

export interface RuleSetsTable {
	id: Generated<number>;
	version: string;
	rules_json: string;
	saved_at: Millis;
	saved_by: string;
	/** 0/1; exactly one row is active once any rule set was saved (none: the built-in default rules) */
	active: Generated<number>;
}

export interface ResidentColoursTable {
	ref: string;
	colour: string;
	reasons_json: string;
	rule_version: string;
	updated_at: Millis;
	/** When the colour may change with no new facts (evaluator's reviewAt, migration 005); null: never by time alone. */
	review_at: Millis | null;
	/** Path to green and one event per reason (recolour/explanation.ts), JSON; null for green or not yet evaluated (migration 015). */
	explain_json: string | null;
}

/** Append-only: every change of resident_colours. */
export interface ResidentColourEventsTable {
	id: Generated<number>;
	ref: string;
	at: Millis;
	colour: string;
	previous_colour: string | null;
	reasons_json: string;
	rule_version: string;
	facts_json: string;
	actor: string;
}

/** migration 004: a visit at one of our venues, by person ref (purged after the retention period). */
export interface VenueVisitsTable {
	id: string;
	ref: string;
	venue_id: string;
	at: Millis;
	/** migration 022: the region that recorded this fact (federation); null: this region */
	source_region?: string | null;
}

export type MemberLinkStatus = 'pending' | 'confirmed' | 'rejected' | 'removed';
/**
 * How a link was (or is asked to be) confirmed: the member's phone, the household register, a staff member; or
 * `declared`: a member added before consent was checked (migration 012 recorded them so the person can see and
 * remove them), on the adder's word alone.
 */
export type MemberLinkMethod = 'phone' | 'household' | 'staff' | 'declared';

/** migration 012: an account's request to hold a person's codes, and its evidence (issuer/member-links.ts). */
export interface MemberLinksTable {
	id: string;
	/** the adder */
	account_id: string;
	id_hmac: string;
	id_masked: string;
	id_suffix: string;
	name_masked: string;
	region: string;
	/** 0/1: the household register knew the ID with this name when the link was asked for (staff see it) */
	register_match: number;
	requested: MemberLinkMethod;
	request_note: string | null;
	/** the member's phone as the adder gave it (keyed hash), for the one-time code's challenge */
	phone_hmac: string | null;
	challenge_id: string | null;
	status: MemberLinkStatus;
	/** what confirmed it */
	method: MemberLinkMethod | null;
	evidence: string | null;
	decided_by: string | null;
	decided_at: Millis | null;
	/** the adder's people row once confirmed */
	person_id: string | null;
	created_at: Millis;
	removed_at: Millis | null;
	/** 'adder' | 'person' */
	removed_by: string | null;
}

/** migration 012: append-only steps of each member link (who, what, when, note). */
export interface MemberLinkEventsTable {
	id: Generated<number>;
	link_id: string;
	at: Millis;
	actor: string;
	action: string;
	note: string | null;
}

/** migration 012: the public-security source's guardian records (import kind `guardians`). */
export interface GuardianshipsTable {
	guardian_hmac: string;
	ward_hmac: string;
	relation: string;
	updated_at: Millis;
}

export interface MetaTable {
	key: string;
	value: string;
}

/** A staff action under the approval rule (migration 011, src/lib/server/proposals/). */
export interface ProposalsTable {
	id: string;
	kind: string;
	/** pending | approved | applied | rejected | lapsed */
	status: string;
	payload_json: string;
	preview_json: string;
	/** a one-line description without personal data (area name, rules version, masked name) */
	summary: string;
	reason_code: string;
	note: string | null;
	urgent: number;
	proposed_by: string;
	proposed_at: Millis;
	decided_by: string | null;
	decided_at: Millis | null;
	deadline_at: Millis | null;
	applied_at: Millis | null;
	result_json: string | null;
}

/** Append-only audit of each step of a proposal (migration 011). */
export interface ProposalEventsTable {
	id: Generated<number>;
	proposal_id: string;
	at: Millis;
	action: string;
	actor: string;
	reason_code: string;
	note: string | null;
	detail_json: string | null;
}

/** An approved manual colour decision for one resident (migration 011). */
export interface ColourOverridesTable {
	id: string;
	ref: string;
	colour: string;
	reason_code: string;
	proposal_id: string;
	from_at: Millis;
	until_at: Millis | null;
	withdrawn_at: Millis | null;
	withdrawn_by: string | null;
}

/** migration 017: append-only, one row per resident whose colour an operator read by ID number (with the purpose). */
export interface IdNumberReadsTable {
	id: Generated<number>;
	/** one `tongxing colours --ids` run */
	read_id: string;
	ref: string;
	at: Millis;
	actor: string;
	purpose: string;
}

/** migration 020: append-only, one row per console action or read of personal data (audit/record-staff-action.ts). */
export interface StaffAuditTable {
	id: Generated<number>;
	at: Millis;
	/** staff username (or `cli:<user>` for operators' commands) */
	actor: string;
	/** stable dotted name, e.g. `person.lookup`, `tracing.query`, `staff.disable` */
	action: string;
	/** the resident's ref (an HMAC of the ID number), when the action concerns one person */
	person_hash: string | null;
	/** id of the thing acted on (appeal, proposal, device, staff account…) */
	target: string | null;
	/** why, as the staff member typed it; required for reads of personal data */
	purpose: string | null;
	detail_json: string | null;
}

/** migration 026: what writes add to the console overview's counts, folded into overview_counts by a job (store/overview.ts). */
export interface OverviewDeltasTable {
	id: Generated<number>;
	metric: string;
	/** hour start (ms), or 0 for a "now" total */
	bucket: number;
	key: string;
	n: number;
}

/** migration 026: the console overview's folded counts, one row per (metric, bucket, key). */
export interface OverviewCountsTable {
	metric: string;
	bucket: number;
	key: string;
	n: number;
}

/** migration 023: a district outline of the region (GeoJSON Polygon / MultiPolygon geometry, [lon, lat]). */
export interface MapDistrictsTable {
	/** GB/T 2260 code */
	code: string;
	name_zh: string;
	name_en: string;
	geometry_json: string;
	bbox_west: number;
	bbox_south: number;
	bbox_east: number;
	bbox_north: number;
	/** 'demo' (the seed) or 'import' (an operator's file) */
	source: string;
	updated_at: Millis;
}

/** migration 023: where a venue is, for the map. */
export interface VenuePlacesTable {
	venue_id: string;
	lat: number;
	lon: number;
	radius_m: number;
}

/** migration 023: the grid cell (geo/grid.ts) of a resident's registered home. */
export interface ResidentPlacesTable {
	ref: string;
	grid: number;
	updated_at: Millis;
}

/** migration 023: residents by colour per grid cell (grid −1: without a place), kept current by every colour write. */
export interface MapDensityTable {
	grid: number;
	colour: string;
	residents: number;
}

/** migration 022 (federation, docs/federation.md §Facts): the routing hash of each resident this region is home to. */
export interface FedResidentsTable {
	route_hash: string;
	ref: string;
	created_at: Millis;
	/** when the gateway accepted the registration; null: not yet sent */
	registered_at: Millis | null;
}

export type FedOutboxState = 'pending' | 'sent' | 'rejected';

/** migration 022: facts recorded here about people whose home is elsewhere, in recording order. */
export interface FedOutboxTable {
	seq: Generated<number>;
	fact_id: string;
	rev: number;
	subject: string;
	kind: string;
	fact_json: string;
	created_at: Millis;
	state: FedOutboxState;
	attempts: Generated<number>;
	next_attempt_at: Millis;
	last_error: string | null;
	done_at: Millis | null;
	reject_code: string | null;
	reject_field: string | null;
}

/** migration 022: every fact received from another region, once per id (highest revision). */
export interface FedInboxTable {
	fact_id: string;
	rev: number;
	source_region: string;
	kind: string;
	subject: string;
	batch_id: string;
	received_at: Millis;
	/** 'applied' | 'rejected' */
	outcome: string;
	reject_code: string | null;
}

/** migration 022, gateway: routing hash → home region. */
export interface GwHomesTable {
	route_hash: string;
	region: string;
	registered_at: Millis;
}

/** migration 022, gateway: a routing hash claimed by a second region (reported, never overwritten). */
export interface GwConflictsTable {
	id: Generated<number>;
	route_hash: string;
	home_region: string;
	claimed_by: string;
	at: Millis;
}

/** migration 022, gateway: each signed batch message once (`region:batchId`), forwarded with its facts. */
export interface GwBatchesTable {
	batch_key: string;
	region: string;
	message: string;
	received_at: Millis;
}

/** migration 022, gateway: facts waiting for their home region, in arrival order. */
export interface GwQueueTable {
	seq: Generated<number>;
	to_region: string;
	from_region: string;
	fact_id: string;
	rev: number;
	batch_key: string;
	fact_text: string;
	received_at: Millis;
	acked_at: Millis | null;
}

/** migration 022, gateway: facts refused per item, with the reason (the sender's operators list them). */
export interface GwRejectionsTable {
	id: Generated<number>;
	from_region: string;
	batch_id: string;
	fact_id: string | null;
	code: string;
	field: string | null;
	at: Millis;
}

/** migration 022: the routing hash of anyone a data source named here by ID number (tracing addresses contacts with it). */
export interface FedKnownRoutesTable {
	ref: string;
	route_hash: string;
}

/** migration 022: cross-region tracing requests, asked ('out') or received ('in'). */
export interface FedTracingTable {
	id: string;
	direction: 'in' | 'out';
	peer_region: string;
	/** the case's routing hash, when the asker gave it (excluded from the contacts) */
	case_route: string | null;
	/** [{venue, from, until}] (ms) */
	visits_json: string;
	purpose: string;
	/** out: sent | answered | refused; in: pending | answered | refused */
	state: string;
	requested_by: string;
	requested_at: Millis;
	decided_by: string | null;
	decided_at: Millis | null;
	note: string | null;
	/** co-visitors found (answered) */
	found: number | null;
	/** in: the asker's signed request as received (kept: it is the authority for the query) */
	message: string | null;
	/** in: the answer's body once decided, re-sent by the exchange job until the gateway took it */
	answer_json: string | null;
	answer_sent_at: Millis | null;
}

/** migration 022, gateway: tracing requests in transit and their answers. */
export interface GwTracingTable {
	seq: Generated<number>;
	id: string;
	from_region: string;
	to_region: string;
	request_message: string;
	created_at: Millis;
	answer_message: string | null;
	answered_at: Millis | null;
}

export interface Database {
	accounts: AccountsTable;
	people: PeopleTable;
	declarations: DeclarationsTable;
	codes: CodesTable;
	colour_events: ColourEventsTable;
	otp_challenges: OtpChallengesTable;
	sessions: SessionsTable;
	rate_limits: RateLimitsTable;
	staff: StaffTable;
	appeals: AppealsTable;
	venues: VenuesTable;
	guard_devices: GuardDevicesTable;
	scan_events: ScanEventsTable;
	status_entries: StatusEntriesTable;
	status_lists: StatusListsTable;
	data_source_keys: DataSourceKeysTable;
	trajectory_points: TrajectoryPointsTable;
	cell_sites: CellSitesTable;
	import_runs: ImportRunsTable;
	import_staging: ImportStagingTable;
	meta: MetaTable;
	sms_outbox: SmsOutboxTable;
	household_register: HouseholdRegisterTable;
	phone_registry: PhoneRegistryTable;
	health_tests: HealthTestsTable;
	cases: CasesTable;
	quarantine_orders: QuarantineOrdersTable;
	contacts: ContactsTable;
	risk_areas: RiskAreasTable;
	rule_sets: RuleSetsTable;
	resident_colours: ResidentColoursTable;
	resident_colour_events: ResidentColourEventsTable;
	venue_visits: VenueVisitsTable;
	proposals: ProposalsTable;
	proposal_events: ProposalEventsTable;
	colour_overrides: ColourOverridesTable;
	member_links: MemberLinksTable;
	member_link_events: MemberLinkEventsTable;
	guardianships: GuardianshipsTable;
	id_number_reads: IdNumberReadsTable;
	staff_audit: StaffAuditTable;
	fact_corrections: FactCorrectionsTable;
	overview_deltas: OverviewDeltasTable;
	overview_counts: OverviewCountsTable;
	map_districts: MapDistrictsTable;
	venue_places: VenuePlacesTable;
	resident_places: ResidentPlacesTable;
	map_density: MapDensityTable;
	fed_residents: FedResidentsTable;
	fed_outbox: FedOutboxTable;
	fed_inbox: FedInboxTable;
	gw_homes: GwHomesTable;
	gw_conflicts: GwConflictsTable;
	gw_batches: GwBatchesTable;
	gw_queue: GwQueueTable;
	gw_rejections: GwRejectionsTable;
	fed_known_routes: FedKnownRoutesTable;
	fed_tracing: FedTracingTable;
	gw_tracing: GwTracingTable;
	federation_certs: FederationCertsTable;
	federation_revocations: FederationRevocationsTable;
	federation_key_lists: FederationKeyListsTable;
	federation_status_docs: FederationStatusDocsTable;
	federation_status_heads: FederationStatusHeadsTable;
}

/** migration 021 (federation/gateway-trust.ts): signed national trust documents, base64url, checked on the way in. */
export interface FederationCertsTable {
	/** hex kid of the certified key (a region's authority key, or the gateway's key) */
	kid: string;
	role: 'region' | 'gateway';
	region: string | null;
	not_after: number;
	doc: string;
	received_at: Millis;
}

export interface FederationRevocationsTable {
	version: number;
	doc: string;
	received_at: Millis;
}

export interface FederationKeyListsTable {
	region: string;
	version: number;
	doc: string;
	received_at: Millis;
}

export interface FederationStatusDocsTable {
	region: string;
	/** 0: a full list; otherwise the seq this delta continues */
	since: number;
	seq: number;
	doc: string;
	received_at: Millis;
}

export interface FederationStatusHeadsTable {
	region: string;
	seq: number;
	full_seq: number;
}

/** The tables in migration order (children after parents); used by tests and tools. */
export const TABLES = [
	'accounts',
	'people',
	'declarations',
	'codes',
	'colour_events',
	'otp_challenges',
	'sessions',
	'rate_limits',
	'staff',
	'appeals',
	'venues',
	'guard_devices',
	'scan_events',
	'status_entries',
	'status_lists',
	'data_source_keys',
	'trajectory_points',
	'meta',
	'sms_outbox',
	'household_register',
	'phone_registry',
	'health_tests',
	'cases',
	'quarantine_orders',
	'contacts',
	'risk_areas',
	'rule_sets',
	'resident_colours',
	'resident_colour_events',
	'venue_visits',
	'cell_sites',
	'proposals',
	'proposal_events',
	'colour_overrides',
	'member_links',
	'member_link_events',
	'guardianships',
	'import_runs',
	'import_staging',
	'id_number_reads',
	'staff_audit',
	'fact_corrections',
	'overview_deltas',
	'overview_counts',
	'map_districts',
	'venue_places',
	'resident_places',
	'map_density',
	'fed_residents',
	'fed_outbox',
	'fed_inbox',
	'gw_homes',
	'gw_conflicts',
	'gw_batches',
	'gw_queue',
	'gw_rejections',
	'fed_known_routes',
	'fed_tracing',
	'gw_tracing',
	'federation_certs',
	'federation_revocations',
	'federation_key_lists',
	'federation_status_docs',
	'federation_status_heads'
] as const satisfies readonly (keyof Database)[];
