/**
 * The resident app's calls to the issuer (src/routes/api/v1/auth, me, declarations, appeals, config), one
 * function per endpoint, typed and checked by the contract (core/contract/resident.ts) through callEndpoint:
 * an answer of the wrong shape is a `network/bad-response` problem, never an exception.
 */
import type { DeclarationRequest } from '$lib/core/contract/resident';
import { CodesResponseSchema } from '$lib/core/contract/resident';
import type {
	AddMemberRequest,
	AppealRequest,
	DeviceRequest,
	OtpRequest,
	PaperCodeRequest,
	SessionRequest
} from '$lib/core/contract/resident';
import { callIn, checked, endpointUrl, type CallOptions } from '$lib/client/call-endpoint';
import { RESIDENT_ENDPOINTS } from '$lib/core/contract/resident-endpoints';

/** The resident app's endpoints only: the console's and the gateway's schemas stay out of its bundle. */
const callEndpoint = <K extends keyof typeof RESIDENT_ENDPOINTS>(key: K, opts: CallOptions = {}) => callIn(RESIDENT_ENDPOINTS, key, opts);
import { api } from './api';

export const requestOtp = (body: OtpRequest) => callEndpoint('POST /api/v1/auth/otp', { body });
export const signIn = (body: SessionRequest) => callEndpoint('POST /api/v1/auth/session', { body });
export const signOut = () => callEndpoint('DELETE /api/v1/auth/session');
export const registerDeviceKey = (body: DeviceRequest) => callEndpoint('PUT /api/v1/me/device', { body });

/** How long a background refresh waits for the codes before it counts the server as unreachable. */
export const CODES_TIMEOUT_MS = 8_000;

/** The codes, or `data: null` with status 304 when `etag` is still current. */
export async function getMyCodes(etag: string | null) {
	const key = 'GET /api/v1/me/codes';
	const r = await api<unknown>('GET', endpointUrl(key), undefined, etag ? { 'if-none-match': etag } : {}, CODES_TIMEOUT_MS);
	if (r.ok && r.status === 304) return { ...r, data: null };
	return checked(CodesResponseSchema, r);
}

export const getHistory = (personId?: string) => callEndpoint('GET /api/v1/me/history', { query: { personId } });
export const getMembers = () => callEndpoint('GET /api/v1/me/members');
export const addMember = (body: AddMemberRequest) => callEndpoint('POST /api/v1/me/members', { body });
export const removeMember = (id: string) => callEndpoint('DELETE /api/v1/me/members/[id]', { params: { id } });
export const confirmMemberLink = (id: string, code: string) =>
	callEndpoint('POST /api/v1/me/member-links/[id]/confirm', { params: { id }, body: { code } });
export const withdrawMemberLink = (id: string) => callEndpoint('DELETE /api/v1/me/member-links/[id]', { params: { id } });
export const getLinksToMe = () => callEndpoint('GET /api/v1/me/links');
export const removeLinkToMe = (id: string) => callEndpoint('DELETE /api/v1/me/links/[id]', { params: { id } });
export const getPaperCode = (body: PaperCodeRequest) => callEndpoint('POST /api/v1/me/paper-code', { body });
export const submitDeclaration = (body: DeclarationRequest) => callEndpoint('POST /api/v1/declarations', { body });
export const getLatestDeclaration = () => callEndpoint('GET /api/v1/declarations/latest');
export const getAppeals = () => callEndpoint('GET /api/v1/appeals');
export const submitAppeal = (body: AppealRequest) => callEndpoint('POST /api/v1/appeals', { body });
export const getAppeal = (id: string) => callEndpoint('GET /api/v1/appeals/[id]', { params: { id } });
export const getConfig = () => callEndpoint('GET /api/v1/config');
