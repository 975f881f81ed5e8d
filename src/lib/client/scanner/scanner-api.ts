/**
 * The guard scanner's calls (POST /api/v1/scans with the device token, GET /api/v1/config at enrolment), typed
 * and checked by the contract (core/contract/scanner.ts, scan-event.ts) through callEndpoint: an answer of the
 * wrong shape is a `network/bad-response` problem, never an exception.
 */
import type { ScanEvent } from '$lib/core/contract/scan-event';
import { callEndpoint } from '$lib/client/call-contract-endpoint';

export const uploadScans = (token: string, events: ScanEvent[]) =>
	callEndpoint('POST /api/v1/scans', { body: { events }, headers: { authorization: `Bearer ${token}` } });

export const getConfig = () => callEndpoint('GET /api/v1/config');
