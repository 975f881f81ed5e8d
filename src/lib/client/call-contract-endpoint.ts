/**
 * callEndpoint over the whole contract table (core/contract/endpoints.ts): for the scanner and the console. The
 * resident app calls through its own table (client/resident/resident-api.ts) so its first load stays small.
 */
import { ENDPOINTS, type EndpointKey } from '$lib/core/contract/endpoints';
import { callIn, type CallOptions } from './call-endpoint';

export const callEndpoint = <K extends EndpointKey>(key: K, opts: CallOptions = {}) => callIn(ENDPOINTS, key, opts);
