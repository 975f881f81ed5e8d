/**
 * The guard scanner's endpoints: POST /api/v1/scans (the scan log upload, its device token as bearer; the event
 * and ack shapes are scan-event.ts) and GET /api/v1/config at enrolment (resident.ts ConfigResponse). The
 * enrolment code the scanner is set up with is enrolment.ts; the policy it enforces, entry-policy.ts.
 */
import * as v from 'valibot';

export { ScanUploadResponseSchema, type ScanAck, type ScanEvent, type ScanUploadRequest, type ScanUploadResponse } from './scan-event.js';
export { ConfigResponseSchema, type ConfigResponse } from './resident.js';

/** The request as the server first reads it: an object with `events` only; each item is checked on its own. */
export const ScanUploadRequestSchema = v.object({ events: v.array(v.unknown()) });
