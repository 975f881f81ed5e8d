/**
 * IssuerDeps moved to ../deps.ts (below every service folder, so recolour/ and http/ can take it without
 * importing issuer/). Re-exported here for the callers that still import it from this path.
 */
export { DEFAULT_CONFIG, type IssuerConfig, type IssuerDeps } from '../deps.js';
