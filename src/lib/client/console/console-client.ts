/**
 * The authority console's calls (src/routes/api/v1/staff/session and console/*), one function per endpoint,
 * typed and checked by the contract (core/contract/console.ts) through callEndpoint: an answer of the wrong
 * shape is a `network/bad-response` problem, never an exception. The file upload goes through uploadFile
 * (console-api.ts, XMLHttpRequest for progress) and is checked the same way.
 */
import type { EndRiskAreaRequest, RiskAreaRequest, StaffSignInRequest } from '$lib/core/contract/console';
import { ActionOutcomeSchema, type OverrideRequest, type RejectRequest } from '$lib/core/contract/proposals';
import type { Source, KindName, ImportEncoding } from '$lib/core/contract/import-kinds';
import type { AddStaffRequest, AddVenueRequest, EditVenueRequest } from '$lib/core/contract/console-people';
import type {
	AppealOverrideRequest,
	CorrectFactsRequest,
	PersonLookupRequest,
	RejectAppealRequest
} from '$lib/core/contract/console-appeals';
import type { AuditQuery } from '$lib/core/contract/console-overview';
import type { TracingRequest } from '$lib/core/contract/federation-facts';
import { checked, endpointUrl } from '$lib/client/call-endpoint';
import { callEndpoint } from '$lib/client/call-contract-endpoint';
import { uploadFile, type UploadPhase } from './console-api';
import type { MarkContactsRequest, TracingQueryRequest } from '$lib/core/contract/tracing';

export const staffSignIn = (body: StaffSignInRequest) => callEndpoint('POST /api/v1/staff/session', { body });
export const getStaffSession = () => callEndpoint('GET /api/v1/staff/session');
export const signOut = () => callEndpoint('DELETE /api/v1/auth/session');
export const getConfig = () => callEndpoint('GET /api/v1/config');
export const getRules = () => callEndpoint('GET /api/v1/console/rules');
/** `doc`: the rule document as the staff member typed it (checked by the server). */
export const previewRules = (doc: unknown) => callEndpoint('POST /api/v1/console/rules/preview', { body: doc });
/** Publishing answers a proposal: `applied` (done now) or `pending` (waits for a second staff member). */
export const saveRules = (doc: unknown, reason: { reasonCode: string; note?: string }) =>
	callEndpoint('PUT /api/v1/console/rules', { body: doc, query: reason });
export const getRiskAreas = () => callEndpoint('GET /api/v1/console/risk-areas');
export const createRiskArea = (body: RiskAreaRequest) => callEndpoint('POST /api/v1/console/risk-areas', { body });
/** What saving the area would do (nothing written): residents recoloured, approval needed, where it is. */
export const previewRiskArea = (body: RiskAreaRequest) => callEndpoint('POST /api/v1/console/risk-areas/preview', { body });
export const getMap = () => callEndpoint('GET /api/v1/console/map');
export const endRiskArea = (id: string, body: EndRiskAreaRequest) =>
	callEndpoint('POST /api/v1/console/risk-areas/[id]/end', { params: { id }, body });
export const getProposals = (status?: string) => callEndpoint('GET /api/v1/console/proposals', { query: { status } });
export const getProposal = (id: string) => callEndpoint('GET /api/v1/console/proposals/[id]', { params: { id } });
export const approveProposal = (id: string) => callEndpoint('POST /api/v1/console/proposals/[id]/approve', { params: { id } });
export const rejectProposal = (id: string, body: RejectRequest) =>
	callEndpoint('POST /api/v1/console/proposals/[id]/reject', { params: { id }, body });
export const proposeOverride = (body: OverrideRequest) => callEndpoint('POST /api/v1/console/overrides', { body });
export const withdrawOverride = (id: string, body: { reasonCode: string; note?: string }) =>
	callEndpoint('POST /api/v1/console/overrides/[id]/withdraw', { params: { id }, body });
export const getVenues = () => callEndpoint('GET /api/v1/console/venues');
export const enrolGuard = (venueId: string) => callEndpoint('POST /api/v1/console/venues/[id]/guards', { params: { id: venueId } });
export const getCredentials = () => callEndpoint('GET /api/v1/console/credentials');
export const revokeGuardDevice = (id: string) => callEndpoint('POST /api/v1/console/guards/[id]/revoke', { params: { id } });
export const revokeSourceKey = (id: string) => callEndpoint('POST /api/v1/console/source-keys/[id]/revoke', { params: { id } });
export const getMemberLinks = () => callEndpoint('GET /api/v1/console/member-links');
export const approveMemberLink = (id: string, evidence: string) =>
	callEndpoint('POST /api/v1/console/member-links/[id]/approve', { params: { id }, body: { evidence } });
export const rejectMemberLink = (id: string, note?: string) =>
	callEndpoint('POST /api/v1/console/member-links/[id]/reject', { params: { id }, body: note ? { note } : {} });
export const getOverview = () => callEndpoint('GET /api/v1/console/overview');
export const getAuditPage = (query: AuditQuery) => callEndpoint('GET /api/v1/console/audit', { query: { ...query } });
/** The export is a download (a link the browser follows with the cookie), not a JSON call. */
export const auditExportUrl = (query: AuditQuery) => endpointUrl('GET /api/v1/console/audit/export', { query: { ...query } });

// issue 15, people and devices (core/contract/console-people.ts)
export const getStaffAccounts = () => callEndpoint('GET /api/v1/console/staff');
export const addStaffAccount = (body: AddStaffRequest) => callEndpoint('POST /api/v1/console/staff', { body });
export const changeStaffRole = (username: string, role: string) =>
	callEndpoint('PUT /api/v1/console/staff/[username]/role', { params: { username }, body: { role } });
export const disableStaffAccount = (username: string) =>
	callEndpoint('POST /api/v1/console/staff/[username]/disable', { params: { username } });
export const addSourceKey = (source: string) => callEndpoint('POST /api/v1/console/source-keys', { body: { source } });
export const addVenue = (body: AddVenueRequest) => callEndpoint('POST /api/v1/console/venues', { body });
export const editVenue = (id: string, body: EditVenueRequest) => callEndpoint('PUT /api/v1/console/venues/[id]', { params: { id }, body });
export const getIssuerKeys = () => callEndpoint('GET /api/v1/console/keys');
export const rotateIssuerKey = (region: string, confirm: string) =>
	callEndpoint('POST /api/v1/console/keys/rotate', { body: { region, confirm } });
export const compromiseIssuerKey = (kid: string, confirm: string) =>
	callEndpoint('POST /api/v1/console/keys/[kid]/compromise', { params: { kid }, body: { confirm } });

export async function uploadImport(
	q: { source: Source; kind: KindName; encoding: ImportEncoding; reasonCode: string; note?: string },
	file: Blob,
	contentType: string,
	onPhase: (p: UploadPhase) => void
) {
	const url = endpointUrl('POST /api/v1/console/imports', { query: q });
	return checked(ActionOutcomeSchema, await uploadFile<unknown>(url, file, contentType, onPhase));
}

// contact tracing (issue 15)
export const getTracingCases = () => callEndpoint('GET /api/v1/console/tracing/cases');
export const traceCase = (body: TracingQueryRequest) => callEndpoint('POST /api/v1/console/tracing/query', { body });
export const markContacts = (body: MarkContactsRequest) => callEndpoint('POST /api/v1/console/tracing/contacts', { body });
// appeals to an outcome and person lookup (issue 15)
export const getAppealQueue = (status?: string) => callEndpoint('GET /api/v1/console/appeals', { query: { status } });
export const getAppeal = (id: string) => callEndpoint('GET /api/v1/console/appeals/[id]', { params: { id } });
export const correctAppealFacts = (id: string, body: CorrectFactsRequest) =>
	callEndpoint('POST /api/v1/console/appeals/[id]/correct', { params: { id }, body });
export const overrideAppeal = (id: string, body: AppealOverrideRequest) =>
	callEndpoint('POST /api/v1/console/appeals/[id]/override', { params: { id }, body });
export const rejectAppeal = (id: string, body: RejectAppealRequest) =>
	callEndpoint('POST /api/v1/console/appeals/[id]/reject', { params: { id }, body });
export const lookUpPerson = (body: PersonLookupRequest) => callEndpoint('POST /api/v1/console/people/lookup', { body });
// federation (docs/federation.md): this region's fact exchange and cross-region tracing
export const getFactExchange = (state?: string) => callEndpoint('GET /api/v1/console/federation/facts', { query: { state } });
export const getTracing = () => callEndpoint('GET /api/v1/console/federation/tracing');
export const askTracing = (body: TracingRequest) => callEndpoint('POST /api/v1/console/federation/tracing', { body });
export const approveTracing = (id: string, note?: string) =>
	callEndpoint('POST /api/v1/console/federation/tracing/[id]/approve', { params: { id }, body: note ? { note } : {} });
export const refuseTracing = (id: string, note: string) =>
	callEndpoint('POST /api/v1/console/federation/tracing/[id]/refuse', { params: { id }, body: { note } });
