/**
 * The resident app's endpoints (sign-in, codes, members, declarations, appeals, config): the part of the contract
 * table (endpoints.ts spreads it into ENDPOINTS) that client/resident/resident-api.ts calls through, kept apart so
 * the resident app's bundle holds these schemas only.
 */
import { e, type Endpoint } from './endpoint-table.js';
import {
	AddMemberRequestSchema,
	AddMemberResponseSchema,
	AppealRequestSchema,
	AppealSchema,
	AppealsResponseSchema,
	CodesResponseSchema,
	ConfigResponseSchema,
	ConfirmMemberLinkRequestSchema,
	DeclarationOutcomeSchema,
	DeviceRequestSchema,
	HistoryResponseSchema,
	LatestDeclarationSchema,
	LinksToMeResponseSchema,
	MemberLinkOutcomeSchema,
	MembersResponseSchema,
	OtpRequestSchema,
	OtpResponseSchema,
	PaperCodeRequestSchema,
	PaperCodeSchema,
	SessionRequestSchema,
	SessionResponseSchema
} from './resident.js';

export const RESIDENT_ENDPOINTS = {
	'POST /api/v1/auth/otp': e(OtpRequestSchema, OtpResponseSchema),
	'POST /api/v1/auth/session': e(SessionRequestSchema, SessionResponseSchema),
	'DELETE /api/v1/auth/session': e(null, null),
	'PUT /api/v1/me/device': e(DeviceRequestSchema, null),
	'GET /api/v1/me/codes': e(null, CodesResponseSchema),
	'GET /api/v1/me/history': e(null, HistoryResponseSchema),
	'GET /api/v1/me/members': e(null, MembersResponseSchema),
	'POST /api/v1/me/members': e(AddMemberRequestSchema, AddMemberResponseSchema),
	'DELETE /api/v1/me/members/[id]': e(null, null),
	'POST /api/v1/me/member-links/[id]/confirm': e(ConfirmMemberLinkRequestSchema, MemberLinkOutcomeSchema),
	'DELETE /api/v1/me/member-links/[id]': e(null, null),
	'GET /api/v1/me/links': e(null, LinksToMeResponseSchema),
	'DELETE /api/v1/me/links/[id]': e(null, null),
	'POST /api/v1/me/paper-code': e(PaperCodeRequestSchema, PaperCodeSchema),
	// the body is core/declaration's DeclarationInput, validated by validateDeclaration on both sides
	'POST /api/v1/declarations': e(null, DeclarationOutcomeSchema),
	'GET /api/v1/declarations/latest': e(null, LatestDeclarationSchema),
	'GET /api/v1/appeals': e(null, AppealsResponseSchema),
	'POST /api/v1/appeals': e(AppealRequestSchema, AppealSchema),
	'GET /api/v1/appeals/[id]': e(null, AppealSchema),
	'GET /api/v1/config': e(null, ConfigResponseSchema)
} as const satisfies Record<string, Endpoint>;
