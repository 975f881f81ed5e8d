/**
 * One codebase, two roles (issue 14): a gateway answers only /api/v1/gateway/** and health; a region answers
 * everything but /api/v1/gateway/**. The other role's paths are 404, as if they did not exist.
 */
import type { ServerRole } from '../config.js';

const GATEWAY_PREFIX = '/api/v1/gateway/';
const ALWAYS = ['/api/v1/health', '/api/v1/openapi.json'];

export function servedByRole(role: ServerRole, pathname: string): boolean {
	const gatewayPath = pathname.startsWith(GATEWAY_PREFIX);
	if (role === 'gateway') return gatewayPath || ALWAYS.includes(pathname);
	return !gatewayPath;
}
