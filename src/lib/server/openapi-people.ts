/**
 * OpenAPI paths of the console's "people and devices" endpoints (issue 15), kept apart from openapi.ts (which
 * spreads them in) so parallel changes to the console's API merge without conflicts. Roles: core/staff-roles.ts.
 */
const problem = {
	description: 'RFC 9457 problem details with a stable `code` (403 staff/forbidden: the role is not enough)',
	content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
};
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const session = [{ session: [] }];
const role = { enum: ['viewer', 'officer', 'approver', 'admin'] };
const path = (name: string) => [{ name, in: 'path', required: true, schema: { type: 'string' } }];
const refused = { '400': problem, '401': problem, '403': problem, '404': problem, '409': problem };
const staffAccount = {
	type: 'object',
	properties: {
		username: { type: 'string' },
		role,
		createdAt: { type: 'integer', description: 'ms' },
		disabledAt: { type: ['integer', 'null'] },
		lastSeenAt: { type: ['integer', 'null'] },
		openSessions: { type: 'integer' }
	}
};
const venue = {
	type: 'object',
	properties: {
		id: { type: 'string' },
		name: { type: 'string' },
		region: { type: 'string' },
		kind: { type: 'string' },
		policy: { type: 'string' }
	}
};

export const PEOPLE_PATHS = {
	'/api/v1/console/staff': {
		get: {
			summary: 'Staff (viewer+): the console accounts with role, status and open sessions',
			security: session,
			responses: { '200': json({ type: 'object', properties: { staff: { type: 'array', items: staffAccount } } }), '401': problem }
		},
		post: {
			summary: 'Staff (admin): add an account with a role; its first password is in the answer, once. Audited (staff.add)',
			security: session,
			requestBody: body({
				type: 'object',
				additionalProperties: false,
				required: ['username', 'role'],
				properties: { username: { type: 'string' }, role }
			}),
			responses: {
				'201': json({ type: 'object', properties: { username: { type: 'string' }, role, password: { type: 'string' } } }),
				...refused
			}
		}
	},
	'/api/v1/console/staff/{username}/role': {
		put: {
			summary: 'Staff (admin): change another account’s role (not one’s own: 409 staff/self). Audited (staff.role)',
			security: session,
			parameters: path('username'),
			requestBody: body({ type: 'object', additionalProperties: false, required: ['role'], properties: { role } }),
			responses: { '200': json(staffAccount), ...refused }
		}
	},
	'/api/v1/console/staff/{username}/disable': {
		post: {
			summary:
				'Staff (admin): disable another account; its sessions end at once and its next request is refused with 401 staff/disabled. Audited (staff.disable)',
			security: session,
			parameters: path('username'),
			responses: {
				'200': json({
					type: 'object',
					properties: { username: { type: 'string' }, disabledAt: { type: 'integer' }, sessionsEnded: { type: 'integer' } }
				}),
				...refused
			}
		}
	},
	'/api/v1/console/source-keys': {
		post: {
			summary: 'Staff (admin): a new data-source API key, in the answer once (as `tongxing source add`). Audited (source-key.add)',
			security: session,
			requestBody: body({
				type: 'object',
				additionalProperties: false,
				required: ['source'],
				properties: { source: { enum: ['health', 'public-security', 'carrier'] } }
			}),
			responses: {
				'201': json({ type: 'object', properties: { id: { type: 'string' }, source: { type: 'string' }, apiKey: { type: 'string' } } }),
				...refused
			}
		}
	},
	'/api/v1/console/venues/{id}': {
		put: {
			summary:
				'Staff (admin): change a venue’s name, kind and entry policy (phones enrolled before keep the policy their code carries). Audited (venue.edit)',
			security: session,
			parameters: path('id'),
			requestBody: body({
				type: 'object',
				additionalProperties: false,
				required: ['name', 'kind', 'policy'],
				properties: { name: { type: 'string' }, kind: { type: 'string' }, policy: { type: 'string' } }
			}),
			responses: { '200': json(venue), ...refused }
		}
	},
	'/api/v1/console/keys': {
		get: {
			summary:
				'Staff (viewer+): the issuer keys (kid, region, window, status, signing now, in the served trust list) and the list’s version',
			security: session,
			responses: { '200': json({ type: 'object' }), '401': problem }
		}
	},
	'/api/v1/console/keys/rotate': {
		post: {
			summary:
				'Staff (admin): rotate a region’s issuer key (`confirm`: the region typed again), as `tongxing keys rotate`. Audited (key.rotate)',
			security: session,
			requestBody: body({
				type: 'object',
				additionalProperties: false,
				required: ['region', 'confirm'],
				properties: { region: { type: 'string' }, confirm: { type: 'string' } }
			}),
			responses: { '200': json({ type: 'object' }), ...refused }
		}
	},
	'/api/v1/console/keys/{kid}/compromise': {
		post: {
			summary:
				'Staff (admin): mark an issuer key compromised (`confirm`: the kid typed again); its live codes are revoked and re-issued, as `tongxing keys compromise`. Audited (key.compromise)',
			security: session,
			parameters: path('kid'),
			requestBody: body({
				type: 'object',
				additionalProperties: false,
				required: ['confirm'],
				properties: { confirm: { type: 'string' } }
			}),
			responses: { '200': json({ type: 'object' }), ...refused }
		}
	}
} as const;

/** POST /api/v1/console/venues (the GET is openapi.ts's). */
export const ADD_VENUE = {
	summary: 'Staff (admin): add a venue (name, six-digit region, kind, entry policy). Audited (venue.add)',
	security: session,
	requestBody: body({
		type: 'object',
		additionalProperties: false,
		required: ['name', 'region', 'kind', 'policy'],
		properties: { name: { type: 'string' }, region: { type: 'string' }, kind: { type: 'string' }, policy: { type: 'string' } }
	}),
	responses: { '201': json(venue), ...refused }
} as const;
