/**
 * Every endpoint under src/routes/api/v1 (and the trust list) by method and path, with the schema of its JSON
 * request body and of its JSON answer: the table the typed clients (client/resident/resident-api.ts,
 * client/scanner/scanner-api.ts, client/console/console-client.ts) call through and endpoints.test.ts checks
 * against the route files. `request: null`: no JSON body (or a file / records body checked on the server);
 * `response: null`: no JSON answer (204, or signed COSE bytes).
 */
import type * as v from 'valibot';
import {
	ActiveRulesSchema,
	CredentialsResponseSchema,
	EndRiskAreaRequestSchema,
	GuardEnrolmentSchema,
	RiskAreaRequestSchema,
	RiskAreasResponseSchema,
	RevokedSchema,
	RulesPreviewSchema,
	StaffSessionSchema,
	StaffSignInRequestSchema,
	StaffSignInResponseSchema,
	VenuesResponseSchema,
	StaffMemberLinksResponseSchema,
	ApproveMemberLinkRequestSchema,
	RejectMemberLinkRequestSchema,
	MemberLinkDecisionSchema
} from './console.js';
import { AuditPageSchema, ConsoleOverviewSchema } from './console-overview.js';
import {
	AddSourceKeyRequestSchema,
	AddStaffRequestSchema,
	AddVenueRequestSchema,
	AddedSourceKeySchema,
	AddedStaffSchema,
	ChangeRoleRequestSchema,
	CompromiseKeyRequestSchema,
	CompromisedKeySchema,
	DisabledStaffSchema,
	EditVenueRequestSchema,
	KeysResponseSchema,
	RotateKeyRequestSchema,
	RotatedKeySchema,
	StaffAccountSchema,
	StaffListResponseSchema,
	VenueDetailSchema
} from './console-people.js';
import { HealthResponseSchema } from './resident.js';
import {
	ActionOutcomeSchema,
	OverrideRequestSchema,
	ProposalDetailSchema,
	ProposalsResponseSchema,
	RejectRequestSchema,
	WithdrawOverrideRequestSchema
} from './proposals.js';
import {
	AppealDetailSchema,
	AppealOutcomeSchema,
	AppealOverrideRequestSchema,
	AppealQueueSchema,
	CorrectFactsRequestSchema,
	PersonLookupRequestSchema,
	PersonLookupResponseSchema,
	RejectAppealRequestSchema
} from './console-appeals.js';
import { ScanUploadResponseSchema } from './scan-event.js';
import { AreaPreviewSchema, MapResponseSchema } from './console-map.js';
import { GatewayRegionHeadSchema, KeyListAcceptedSchema, StatusAcceptedSchema } from './federation-trust.js';
import { ScanUploadRequestSchema } from './scanner.js';
import { PushRequestSchema, PushResponseSchema } from './sources.js';
import { MarkContactsRequestSchema, TracingCasesResponseSchema, TracingQueryRequestSchema, TracingResultSchema } from './tracing.js';
import {
	AckResponseSchema,
	FactBatchRequestSchema,
	FactBatchResponseSchema,
	FederationFactsViewSchema,
	PullResponseSchema,
	RegistrationsResponseSchema,
	RejectionsResponseSchema,
	SignedMessageSchema,
	TracingApprovedSchema,
	TracingCreatedSchema,
	TracingDecisionSchema,
	TracingListResponseSchema,
	TracingPollResponseSchema,
	TracingQueuedSchema,
	TracingRefusedSchema,
	TracingRequestSchema
} from './federation-facts.js';

import { e, type AnySchema, type Endpoint } from './endpoint-table.js';
import { RESIDENT_ENDPOINTS } from './resident-endpoints.js';

export type { Endpoint } from './endpoint-table.js';
export { endpointMethod, endpointPath } from './endpoint-table.js';

export const ENDPOINTS = {
	...RESIDENT_ENDPOINTS,
	'GET /api/v1/health': e(null, HealthResponseSchema),
	'GET /api/v1/status/[region]': e(null, null),
	'GET /.well-known/tongxing/trust-list': e(null, null),
	// national trust (issue 14): uploads are one signed COSE document; the bundle is CBOR (code-format §10.3)
	'GET /.well-known/tongxing/trust-bundle': e(null, null),
	'GET /api/v1/gateway/trust': e(null, null),
	'POST /api/v1/gateway/keys/[region]': e(null, KeyListAcceptedSchema),
	'POST /api/v1/gateway/status/[region]': e(null, StatusAcceptedSchema),
	'GET /api/v1/gateway/regions/[region]': e(null, GatewayRegionHeadSchema),
	'POST /api/v1/scans': e(ScanUploadRequestSchema, ScanUploadResponseSchema),
	'POST /api/v1/staff/session': e(StaffSignInRequestSchema, StaffSignInResponseSchema),
	'GET /api/v1/staff/session': e(null, StaffSessionSchema),
	'GET /api/v1/console/rules': e(null, ActiveRulesSchema),
	// rule documents are checked by core/rules/rules-schema.ts (validateRules) on the server
	'PUT /api/v1/console/rules': e(null, ActionOutcomeSchema),
	'POST /api/v1/console/rules/preview': e(null, RulesPreviewSchema),
	'GET /api/v1/console/risk-areas': e(null, RiskAreasResponseSchema),
	'POST /api/v1/console/risk-areas': e(RiskAreaRequestSchema, ActionOutcomeSchema),
	'POST /api/v1/console/risk-areas/[id]/end': e(EndRiskAreaRequestSchema, ActionOutcomeSchema),
	'POST /api/v1/console/risk-areas/preview': e(RiskAreaRequestSchema, AreaPreviewSchema),
	'GET /api/v1/console/map': e(null, MapResponseSchema),
	'GET /api/v1/console/venues': e(null, VenuesResponseSchema),
	'POST /api/v1/console/venues/[id]/guards': e(null, GuardEnrolmentSchema),
	'GET /api/v1/console/credentials': e(null, CredentialsResponseSchema),
	'POST /api/v1/console/guards/[id]/revoke': e(null, RevokedSchema),
	'POST /api/v1/console/source-keys/[id]/revoke': e(null, RevokedSchema),
	'POST /api/v1/console/imports': e(null, ActionOutcomeSchema),
	'GET /api/v1/console/proposals': e(null, ProposalsResponseSchema),
	'GET /api/v1/console/proposals/[id]': e(null, ProposalDetailSchema),
	'POST /api/v1/console/proposals/[id]/approve': e(null, ActionOutcomeSchema),
	'POST /api/v1/console/proposals/[id]/reject': e(RejectRequestSchema, ActionOutcomeSchema),
	'POST /api/v1/console/overrides': e(OverrideRequestSchema, ActionOutcomeSchema),
	'POST /api/v1/console/overrides/[id]/withdraw': e(WithdrawOverrideRequestSchema, ActionOutcomeSchema),
	'GET /api/v1/console/member-links': e(null, StaffMemberLinksResponseSchema),
	'GET /api/v1/console/overview': e(null, ConsoleOverviewSchema),
	'GET /api/v1/console/audit': e(null, AuditPageSchema),
	'GET /api/v1/console/audit/export': e(null, null),
	'POST /api/v1/console/member-links/[id]/approve': e(ApproveMemberLinkRequestSchema, MemberLinkDecisionSchema),
	'POST /api/v1/console/member-links/[id]/reject': e(RejectMemberLinkRequestSchema, MemberLinkDecisionSchema),
	'GET /api/v1/console/tracing/cases': e(null, TracingCasesResponseSchema),
	'POST /api/v1/console/tracing/query': e(TracingQueryRequestSchema, TracingResultSchema),
	'POST /api/v1/console/tracing/contacts': e(MarkContactsRequestSchema, ActionOutcomeSchema),
	// issue 15, people and devices (console-people.ts)
	'GET /api/v1/console/staff': e(null, StaffListResponseSchema),
	'POST /api/v1/console/staff': e(AddStaffRequestSchema, AddedStaffSchema),
	'PUT /api/v1/console/staff/[username]/role': e(ChangeRoleRequestSchema, StaffAccountSchema),
	'POST /api/v1/console/staff/[username]/disable': e(null, DisabledStaffSchema),
	'POST /api/v1/console/source-keys': e(AddSourceKeyRequestSchema, AddedSourceKeySchema),
	'POST /api/v1/console/venues': e(AddVenueRequestSchema, VenueDetailSchema),
	'PUT /api/v1/console/venues/[id]': e(EditVenueRequestSchema, VenueDetailSchema),
	'GET /api/v1/console/keys': e(null, KeysResponseSchema),
	'POST /api/v1/console/keys/rotate': e(RotateKeyRequestSchema, RotatedKeySchema),
	'POST /api/v1/console/keys/[kid]/compromise': e(CompromiseKeyRequestSchema, CompromisedKeySchema),
	'POST /api/v1/sources/[source]/[kind]': e(PushRequestSchema, PushResponseSchema),
	'GET /api/v1/console/appeals': e(null, AppealQueueSchema),
	'GET /api/v1/console/appeals/[id]': e(null, AppealDetailSchema),
	'POST /api/v1/console/appeals/[id]/correct': e(CorrectFactsRequestSchema, AppealOutcomeSchema),
	'POST /api/v1/console/appeals/[id]/override': e(AppealOverrideRequestSchema, AppealOutcomeSchema),
	'POST /api/v1/console/appeals/[id]/reject': e(RejectAppealRequestSchema, AppealOutcomeSchema),
	'POST /api/v1/console/people/lookup': e(PersonLookupRequestSchema, PersonLookupResponseSchema),
	// federation, fact exchange (docs/federation.md §Facts): gateway endpoints called by regions, and the operators' view
	'POST /api/v1/gateway/facts': e(FactBatchRequestSchema, FactBatchResponseSchema),
	'POST /api/v1/gateway/facts/pull': e(SignedMessageSchema, PullResponseSchema),
	'POST /api/v1/gateway/facts/ack': e(SignedMessageSchema, AckResponseSchema),
	'POST /api/v1/gateway/facts/rejections': e(SignedMessageSchema, RejectionsResponseSchema),
	'POST /api/v1/gateway/registrations': e(SignedMessageSchema, RegistrationsResponseSchema),
	'GET /api/v1/console/federation/facts': e(null, FederationFactsViewSchema),
	'POST /api/v1/gateway/tracing': e(SignedMessageSchema, TracingQueuedSchema),
	'POST /api/v1/gateway/tracing/poll': e(SignedMessageSchema, TracingPollResponseSchema),
	'POST /api/v1/gateway/tracing/answer': e(SignedMessageSchema, TracingCreatedSchema),
	'GET /api/v1/console/federation/tracing': e(null, TracingListResponseSchema),
	'POST /api/v1/console/federation/tracing': e(TracingRequestSchema, TracingCreatedSchema),
	'POST /api/v1/console/federation/tracing/[id]/approve': e(TracingDecisionSchema, TracingApprovedSchema),
	'POST /api/v1/console/federation/tracing/[id]/refuse': e(TracingDecisionSchema, TracingRefusedSchema)
} as const satisfies Record<string, Endpoint>;

export type EndpointKey = keyof typeof ENDPOINTS;

/** The JSON answer of an endpoint (null for those without one). */
export type ResponseOf<K extends EndpointKey> = (typeof ENDPOINTS)[K]['response'] extends infer S
	? S extends AnySchema
		? v.InferOutput<S>
		: null
	: never;

/** The JSON body an endpoint takes (never for those that take none or check it elsewhere). */
export type RequestOf<K extends EndpointKey> = (typeof ENDPOINTS)[K]['request'] extends infer S
	? S extends AnySchema
		? v.InferInput<S>
		: never
	: never;
