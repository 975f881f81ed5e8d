/**
 * The issuer's HTTP API, OpenAPI 3.1, served at /api/v1/openapi.json. openapi.test.ts checks that every
 * route file under src/routes has its path and methods here, so this document cannot silently drift.
 */
import { STAFF_REASON_CODES } from '../core/staff-reasons.js';
import { ADD_VENUE, PEOPLE_PATHS } from './openapi-people.js';

const problem = {
	description:
		'RFC 9457 problem details with a stable `code` from the error table (src/lib/core/contract/errors.ts): clients word the code in their own language; `title` is English, for API clients and logs',
	content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
};
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
/** A region's signed request to the gateway (core/federation/region-message.ts), base64url. */
const signedMessage = { type: 'object', required: ['message'], additionalProperties: false, properties: { message: { type: 'string' } } };
const errors = { '400': problem, '401': problem, '413': problem, '415': problem, '422': problem, '429': problem };
const resident = [{ session: [] }];
/** The answer of every colour-changing staff action (server/proposals/): the proposal, applied now or pending approval. */
const outcome = {
	type: 'object',
	required: ['proposal'],
	properties: {
		proposal: {
			type: 'object',
			description: 'status `applied` (done now: under the approval threshold) or `pending` (waits for a second staff member)',
			properties: {
				id: { type: 'string' },
				kind: { type: 'string' },
				status: { enum: ['pending', 'approved', 'applied', 'rejected', 'lapsed'] },
				reasonCode: { type: 'string' },
				preview: { type: 'object' }
			}
		},
		result: { type: 'object', description: 'what applying did (counts), when it took effect now' }
	}
};
const reasonCode = { enum: [...STAFF_REASON_CODES] };
const reasonQuery = [
	{ name: 'reasonCode', in: 'query', required: true, schema: reasonCode },
	{ name: 'note', in: 'query', required: false, schema: { type: 'string', maxLength: 500 } }
];

export const OPENAPI = {
	openapi: '3.1.0',
	info: {
		title: 'Tongxing issuer API / 通行签发服务接口',
		version: '1',
		description:
			'Regional health-code issuer. Errors are application/problem+json with a stable `code` (the HTTP status follows from the code), an English `title`, `params` for the values a message interpolates (e.g. `max`, `count`), per-field `errors` with zh-CN and en messages, and an English `detail` where useful. Mutating requests that carry the session cookie must be same-origin (Sec-Fetch-Site or Origin); devices and data sources use bearer tokens.'
	},
	components: {
		securitySchemes: {
			session: { type: 'apiKey', in: 'cookie', name: 'tx_session' },
			device: { type: 'http', scheme: 'bearer', description: 'guard device upload token from `tongxing guard enrol`' },
			source: { type: 'http', scheme: 'bearer', description: 'data-source API key from `tongxing source add`' }
		},
		schemas: {
			Problem: {
				type: 'object',
				required: ['type', 'title', 'status', 'code'],
				properties: {
					type: { type: 'string' },
					title: {
						type: 'string',
						description: "The code's English message with params filled in; one language. Apps word `code` themselves."
					},
					status: { type: 'integer', description: 'The HTTP status, fixed per code by the error table' },
					code: { type: 'string', examples: ['otp/invalid', 'declaration/invalid', 'identity/name-mismatch', 'member/limit'] },
					params: {
						type: 'object',
						description:
							'Values the message interpolates, e.g. {"max": 5} for member/limit, {"count": 120, "listed": 100} for import/invalid-rows',
						additionalProperties: { type: ['string', 'number'] }
					},
					detail: { type: 'string', description: 'English, for API clients and logs; apps do not show it' },
					errors: {
						type: 'array',
						items: { type: 'object', properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'object' } } }
					}
				}
			},
			Declaration: {
				type: 'object',
				additionalProperties: false,
				required: ['name', 'idNumber', 'phone', 'region', 'addressDetail', 'temperature', 'symptoms', 'travel'],
				properties: {
					name: { type: 'string' },
					idType: { enum: ['resident', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreign-permanent'] },
					idNumber: { type: 'string', description: 'GB 11643 checksum for resident IDs' },
					phone: { type: 'string' },
					region: { type: 'string', description: 'GB/T 2260 county-level code' },
					addressDetail: { type: 'string' },
					temperature: { type: 'number' },
					symptoms: { type: 'array', items: { type: 'string' } },
					travel: {
						type: 'array',
						items: {
							type: 'object',
							properties: { region: { type: 'string' }, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } }
						}
					}
				}
			},
			Code: {
				type: 'object',
				properties: {
					codeId: { type: 'string' },
					credential: { type: 'string', description: 'base64url COSE_Sign1 (docs/code-format.md)' },
					colour: { enum: ['green', 'yellow', 'red'] },
					reasons: { type: 'array', items: { type: 'string' } },
					kind: { enum: ['phone', 'paper', 'proxy'] },
					iat: { type: 'integer', description: 'ms' },
					exp: { type: 'integer', description: 'ms' }
				}
			}
		}
	},
	paths: {
		'/api/v1/health': {
			get: {
				summary: 'Readiness: database, active signing key, published lists, SMS sender',
				responses: { '200': json({ type: 'object' }), '503': json({ type: 'object' }) }
			}
		},
		'/api/v1/config': { get: { summary: 'Pinned root public key and region', responses: { '200': json({ type: 'object' }) } } },
		'/api/v1/openapi.json': { get: { summary: 'This document', responses: { '200': json({ type: 'object' }) } } },
		'/api/v1/auth/otp': {
			post: {
				summary: 'Request a one-time code (same answer for every valid phone)',
				requestBody: body({ type: 'object', additionalProperties: false, required: ['phone'], properties: { phone: { type: 'string' } } }),
				responses: {
					'200': json({ type: 'object', properties: { challengeId: { type: 'string' }, expiresAt: { type: 'integer' } } }),
					...errors
				}
			}
		},
		'/api/v1/auth/session': {
			post: {
				summary: 'Sign in with the code; sets the session cookie',
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['challengeId', 'phone', 'code'],
					properties: { challengeId: { type: 'string' }, phone: { type: 'string' }, code: { type: 'string', pattern: '^\\d{6}$' } }
				}),
				responses: { '200': json({ type: 'object' }), ...errors }
			},
			delete: { summary: 'Sign out', security: resident, responses: { '204': { description: 'Signed out' } } }
		},
		'/api/v1/me/device': {
			put: {
				summary: "Register this device's Ed25519 public key (codes are bound to it)",
				security: resident,
				requestBody: body({ type: 'object', required: ['publicKey'], properties: { publicKey: { type: 'string' } } }),
				responses: { '204': { description: 'Registered' }, ...errors }
			}
		},
		'/api/v1/declarations': {
			post: {
				summary: 'Submit a declaration (cross-checked; 202 while a source is down)',
				security: resident,
				requestBody: body({ $ref: '#/components/schemas/Declaration' }),
				responses: {
					'201': json({ type: 'object' }, 'Verified; colour decided'),
					'202': json({ type: 'object' }, 'Pending a cross-check source'),
					...errors
				}
			}
		},
		'/api/v1/declarations/latest': {
			get: {
				summary: 'Latest own declaration (null when none) and the signed-in phone, to prefill a declaration',
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem }
			}
		},
		'/api/v1/me/codes': {
			get: {
				summary: 'Current and next code for the holder and each member (ETag; 304 when unchanged)',
				security: resident,
				responses: {
					'200': json({
						type: 'object',
						properties: {
							people: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										codes: { type: 'array', items: { $ref: '#/components/schemas/Code' } },
										explanation: {
											type: ['object', 'null'],
											description:
												'Why the colour and the way back to green (ExplanationSchema in src/lib/core/contract/resident.ts): `details` (per reason: `at`, Unix seconds, and `place` {kind risk-area|venue, name} when known), `path` (the rules engine steps: negative-tests, wait-until, quarantine-ends, release), `ruleVersion`; null when green'
										}
									}
								}
							}
						}
					}),
					'304': { description: 'Not modified' },
					'401': problem
				}
			}
		},
		'/api/v1/me/history': {
			get: {
				summary: 'Colour history with reasons (?personId=)',
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem, '404': problem }
			}
		},
		'/api/v1/me/members': {
			get: { summary: 'Family/proxy members', security: resident, responses: { '200': json({ type: 'object' }), '401': problem } },
			post: {
				summary:
					'Ask to link a member with the evidence that will confirm it (the member’s phone, the household register, staff review): 202 pending — the same answer whether or not the ID is registered or held by others — or 201 when the register confirms it at once; rate-limited per account and per ID',
				security: resident,
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['name', 'idNumber', 'evidence'],
					properties: {
						name: { type: 'string' },
						idType: { type: 'string' },
						idNumber: { type: 'string' },
						evidence: {
							type: 'object',
							required: ['method'],
							properties: { method: { enum: ['phone', 'household', 'staff'] }, phone: { type: 'string' }, note: { type: 'string' } }
						}
					}
				}),
				responses: { '201': json({ type: 'object' }), '202': json({ type: 'object' }), '409': problem, ...errors }
			}
		},
		'/api/v1/me/member-links/{id}/confirm': {
			post: {
				summary: 'Confirm a pending member link with the one-time code the member’s phone received',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({ type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string' } } }),
				responses: { '200': json({ type: 'object' }), '400': problem, '404': problem, '409': problem, '429': problem }
			}
		},
		'/api/v1/me/member-links/{id}': {
			delete: {
				summary: 'Withdraw a pending member request',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '204': { description: 'Withdrawn' }, '404': problem }
			}
		},
		'/api/v1/me/links': {
			get: {
				summary: 'Who holds (or asks for) a member link to me: holder’s masked name and ID, status, method, since',
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem }
			}
		},
		'/api/v1/me/links/{id}': {
			delete: {
				summary: 'Remove someone’s link to me (the codes that account held for me are revoked)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '204': { description: 'Removed' }, '404': problem }
			}
		},
		'/api/v1/me/paper-code': {
			post: {
				summary: 'Issue a printable paper code (kind paper, no holder key) for the holder or a member; supersedes the previous paper code',
				security: resident,
				requestBody: body({ type: 'object', additionalProperties: false, properties: { personId: { type: 'string' } } }),
				responses: {
					'201': json({
						type: 'object',
						properties: {
							personId: { type: 'string' },
							text: { type: 'string' },
							colour: { enum: ['green', 'yellow', 'red'] },
							reasons: { type: 'array', items: { type: 'string' } },
							maskedName: { type: 'string' },
							idSuffix: { type: 'string' },
							iat: { type: 'integer' },
							exp: { type: 'integer' }
						}
					}),
					'404': problem,
					'409': problem,
					...errors
				}
			}
		},
		'/api/v1/me/members/{id}': {
			delete: {
				summary: 'Remove a member (revokes their codes)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '204': { description: 'Removed' }, '404': problem }
			}
		},
		'/api/v1/appeals': {
			get: { summary: 'My appeals', security: resident, responses: { '200': json({ type: 'object' }), '401': problem } },
			post: {
				summary: 'Appeal a colour',
				security: resident,
				requestBody: body({
					type: 'object',
					required: ['personId', 'text'],
					properties: {
						personId: { type: 'string' },
						codeId: { type: 'string' },
						text: { type: 'string' },
						reason: { type: ['string', 'null'], description: 'the contested reason code (src/lib/core/colour-reasons.ts)' }
					}
				}),
				responses: { '201': json({ type: 'object' }), ...errors }
			}
		},
		'/api/v1/appeals/{id}': {
			get: {
				summary: 'Appeal status',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '200': json({ type: 'object' }), '404': problem }
			}
		},
		'/.well-known/tongxing/trust-list': {
			get: {
				summary: 'Root-signed trust list (application/cose, ETag)',
				responses: { '200': { description: 'COSE_Sign1', content: { 'application/cose': {} } }, '304': { description: 'Not modified' } }
			}
		},
		'/.well-known/tongxing/trust-bundle': {
			get: {
				summary:
					"A region's mirror of the national trust bundle (application/tx-trust-bundle+cbor); ?have=REGION:SEQ,… ?keys=REGION:VERSION,…",
				responses: {
					'200': { description: 'CBOR bundle', content: { 'application/tx-trust-bundle+cbor': {} } },
					'400': { description: 'gateway/have' }
				}
			}
		},
		'/api/v1/gateway/trust': {
			get: {
				summary: 'Gateway: the national trust bundle with per-region deltas since ?have=REGION:SEQ,… and ?keys=REGION:VERSION,…',
				responses: {
					'200': { description: 'CBOR bundle', content: { 'application/tx-trust-bundle+cbor': {} } },
					'400': { description: 'gateway/have' }
				}
			}
		},
		'/api/v1/gateway/keys/{region}': {
			post: {
				summary: "Gateway: upload a region's issuer-key list signed by its certified authority key (application/cose)",
				responses: {
					'200': { description: 'accepted' },
					'404': { description: 'gateway/unknown-region' },
					'409': { description: 'gateway/replayed' },
					'422': { description: 'gateway/forged, gateway/wrong-region' }
				}
			}
		},
		'/api/v1/gateway/status/{region}': {
			post: {
				summary: "Gateway: upload a region's status list, full or a delta continuing the gateway's seq (application/cose)",
				responses: {
					'200': { description: 'accepted' },
					'409': { description: 'gateway/replayed, gateway/gap' },
					'422': { description: 'gateway/forged, gateway/wrong-region' }
				}
			}
		},
		'/api/v1/gateway/regions/{region}': {
			get: { summary: 'Gateway: the key-list version and status seqs it holds for a region', responses: { '200': { description: 'JSON' } } }
		},
		'/api/v1/status/{region}': {
			get: {
				summary: 'Signed status list: full, or delta with ?since=SEQ',
				parameters: [
					{ name: 'region', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{6}$' } },
					{ name: 'since', in: 'query', required: false, schema: { type: 'integer' } }
				],
				responses: { '200': { description: 'COSE_Sign1', content: { 'application/cose': {} } }, '400': problem, '404': problem }
			}
		},
		'/api/v1/scans': {
			post: {
				summary: 'Guard device uploads a batch of its hash-chained scan log; one ack per item, gaps reported',
				security: [{ device: [] }],
				requestBody: body({ type: 'object', required: ['events'], properties: { events: { type: 'array', maxItems: 500 } } }),
				responses: {
					'200': json({ type: 'object', properties: { acks: { type: 'array' }, gaps: { type: 'array' } } }),
					'401': problem,
					'413': problem
				}
			}
		},
		'/api/v1/staff/session': {
			get: {
				summary: 'Staff: who is signed in to the console',
				security: resident,
				responses: {
					'200': json({
						type: 'object',
						properties: {
							username: { type: 'string' },
							expiresAt: { type: 'integer', description: 'ms since the epoch' },
							role: { enum: ['viewer', 'officer', 'approver', 'admin'] }
						}
					}),
					'401': problem
				}
			},
			post: {
				summary: 'Authority staff sign-in (accounts from `tongxing staff add`)',
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['username', 'password'],
					properties: { username: { type: 'string' }, password: { type: 'string' } }
				}),
				responses: { '200': json({ type: 'object' }), ...errors }
			}
		},
		'/api/v1/sources/{source}/{kind}': {
			post: {
				summary:
					'A data source pushes records of one kind (all or nothing; the affected residents are recoloured). health: tests, cases, quarantine; public-security: register, relations; carrier: phones, trajectory. Record fields: docs/data-sources.md',
				security: [{ source: [] }],
				parameters: [
					{ name: 'source', in: 'path', required: true, schema: { enum: ['health', 'public-security', 'carrier'] } },
					{
						name: 'kind',
						in: 'path',
						required: true,
						schema: { enum: ['tests', 'cases', 'quarantine', 'register', 'relations', 'guardians', 'phones', 'trajectory'] }
					}
				],
				requestBody: body({
					type: 'object',
					required: ['records'],
					additionalProperties: false,
					properties: { records: { type: 'array', maxItems: 5000, items: { type: 'object' } } }
				}),
				responses: {
					'200': json({
						type: 'object',
						properties: {
							accepted: { type: 'integer' },
							recoloured: { type: 'object', properties: { evaluated: { type: 'integer' }, changed: { type: 'integer' } } }
						}
					}),
					'404': problem,
					...errors
				}
			}
		},
		// federation, fact exchange (docs/federation.md §Facts): called by regions, authenticated by their exchange-key signature
		'/api/v1/gateway/facts': {
			post: {
				summary:
					"Gateway: a region submits a fact batch {message: base64url COSE_Sign1 over the facts' digests, facts: [fact JSON text]}; the answer says per item accepted (queued for the home region) or rejected with the reason (kept for the sender). Replays store nothing twice.",
				requestBody: body({
					type: 'object',
					required: ['message', 'facts'],
					properties: { message: { type: 'string' }, facts: { type: 'array', items: { type: 'string' } } }
				}),
				responses: {
					'200': json({ type: 'object', properties: { batch: { type: 'string' }, results: { type: 'array', items: { type: 'object' } } } }),
					...errors
				}
			}
		},
		'/api/v1/gateway/facts/pull': {
			post: {
				summary:
					'Gateway: a region reads its queue after a cursor (signed "pull" message {after}); facts grouped with their batch\'s signed message',
				requestBody: body(signedMessage),
				responses: {
					'200': json({ type: 'object', properties: { batches: { type: 'array' }, next: { type: 'integer' }, more: { type: 'boolean' } } }),
					...errors
				}
			}
		},
		'/api/v1/gateway/facts/ack': {
			post: {
				summary: 'Gateway: a region acknowledges its queue up to a sequence number (signed "ack" message {through})',
				requestBody: body(signedMessage),
				responses: { '200': json({ type: 'object', properties: { acked: { type: 'integer' }, waiting: { type: 'integer' } } }), ...errors }
			}
		},
		'/api/v1/gateway/facts/rejections': {
			post: {
				summary: "Gateway: what it refused from the signing region (per fact, with the reason) and the region's registration conflicts",
				requestBody: body(signedMessage),
				responses: {
					'200': json({ type: 'object', properties: { rejections: { type: 'array' }, conflicts: { type: 'array' } } }),
					...errors
				}
			}
		},
		'/api/v1/gateway/registrations': {
			post: {
				summary:
					'Gateway: a region registers its residents\' routing hashes (signed "registrations" message {routes}); a hash another region holds is a conflict reported, never overwritten',
				requestBody: body(signedMessage),
				responses: {
					'200': json({ type: 'object', properties: { registered: { type: 'integer' }, conflicts: { type: 'array' } } }),
					...errors
				}
			}
		},
		'/api/v1/console/federation/facts': {
			get: {
				summary:
					"Staff: this region's fact exchange — outbox counts by state, the latest outbox rows (rejections with their reason), the latest received facts",
				security: [{ session: [] }],
				parameters: [{ name: 'state', in: 'query', required: false, schema: { enum: ['pending', 'sent', 'rejected'] } }],
				responses: { '200': json({ type: 'object' }), ...errors }
			}
		},
		'/api/v1/gateway/tracing': {
			post: {
				summary:
					'Gateway: a region asks another for the co-visitors of a case\'s visits there (signed "tracing-request" {id, to, visits, purpose, case?})',
				requestBody: body(signedMessage),
				responses: { '200': json({ type: 'object', properties: { id: { type: 'string' }, queued: { type: 'boolean' } } }), ...errors }
			}
		},
		'/api/v1/gateway/tracing/poll': {
			post: {
				summary:
					'Gateway: the tracing requests addressed to the signing region and the answers to its own (signed "tracing-poll" {after, answersSince})',
				requestBody: body(signedMessage),
				responses: { '200': json({ type: 'object', properties: { requests: { type: 'array' }, answers: { type: 'array' } } }), ...errors }
			}
		},
		'/api/v1/gateway/tracing/answer': {
			post: {
				summary: 'Gateway: the asked region answers a tracing request once (signed "tracing-answer" {id, outcome, found?, note?})',
				requestBody: body(signedMessage),
				responses: { '200': json({ type: 'object', properties: { id: { type: 'string' } } }), ...errors }
			}
		},
		'/api/v1/console/federation/tracing': {
			get: {
				summary: 'Staff: cross-region tracing requests asked and received, newest first',
				security: [{ session: [] }],
				responses: { '200': json({ type: 'object', properties: { requests: { type: 'array' } } }), ...errors }
			},
			post: {
				summary: "Staff: ask another region (through the gateway) for the co-visitors of a case's visits to its venues (audited)",
				security: [{ session: [] }],
				requestBody: body({
					type: 'object',
					required: ['to', 'visits', 'purpose'],
					additionalProperties: false,
					properties: {
						to: { type: 'string' },
						visits: {
							type: 'array',
							maxItems: 20,
							items: { type: 'object', properties: { venue: { type: 'string' }, from: { type: 'integer' }, until: { type: 'integer' } } }
						},
						purpose: { type: 'string' },
						caseIdNumber: { type: 'string' }
					}
				}),
				responses: { '201': json({ type: 'object', properties: { id: { type: 'string' } } }), '503': problem, ...errors }
			}
		},
		'/api/v1/console/federation/tracing/{id}/approve': {
			post: {
				summary:
					"Staff: approve another region's tracing request: the query runs on this region's scan logs (rate-limited per asking region, audited); contacts become facts",
				security: [{ session: [] }],
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({ type: 'object', additionalProperties: false, properties: { note: { type: 'string' } } }),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/federation/tracing/{id}/refuse': {
			post: {
				summary: "Staff: refuse another region's tracing request (audited; the asker hears it)",
				security: [{ session: [] }],
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({ type: 'object', additionalProperties: false, properties: { note: { type: 'string' } } }),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/imports': {
			post: {
				summary:
					'Staff upload a source file (CSV with header, JSON array or NDJSON; streamed, ≤ 64 MB; all or nothing; bad rows → 422 with `line.N.field` errors); affected residents are recoloured',
				security: resident,
				parameters: [
					{ name: 'source', in: 'query', required: true, schema: { enum: ['health', 'public-security', 'carrier'] } },
					{
						name: 'kind',
						in: 'query',
						required: true,
						schema: { enum: ['tests', 'cases', 'quarantine', 'register', 'relations', 'guardians', 'phones', 'trajectory', 'risk-areas'] }
					},
					{ name: 'encoding', in: 'query', required: false, schema: { enum: ['utf-8', 'gbk', 'gb18030'], default: 'utf-8' } },
					...reasonQuery
				],
				requestBody: {
					required: true,
					content: {
						'text/csv': { schema: { type: 'string' } },
						'application/json': { schema: { type: 'array' } },
						'application/x-ndjson': { schema: { type: 'string' } }
					}
				},
				responses: { '200': json(outcome, 'imported now'), '202': json(outcome, 'submitted for approval'), ...errors }
			}
		},
		'/api/v1/console/risk-areas': {
			get: {
				summary: 'Staff: risk areas, newest first',
				security: resident,
				responses: { '200': json({ type: 'object', properties: { areas: { type: 'array' } } }), '401': problem }
			},
			post: {
				summary:
					'Staff: mark a risk area (polygon of [lon, lat] or grid cell ids; level; window); the residents who were in it are recoloured',
				security: resident,
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['name', 'level', 'from'],
					properties: {
						name: { type: 'string' },
						level: { enum: ['high', 'medium'] },
						polygon: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
						cells: { type: 'array', items: { type: 'string', examples: ['g800:3511:28740'] } },
						from: { type: 'string', format: 'date-time' },
						until: { type: 'string', format: 'date-time' },
						reasonCode,
						note: { type: 'string', maxLength: 500 },
						urgent: { type: 'boolean', description: 'over the threshold: in effect now, lapses unless approved in time' }
					}
				}),
				responses: {
					'201': json(outcome, 'marked now'),
					'202': json(outcome, 'submitted for approval (or urgent: in effect, pending)'),
					...errors
				}
			}
		},
		'/api/v1/console/risk-areas/preview': {
			post: {
				summary:
					'Staff: what marking this risk area would do, nothing written — residents whose colour would change (by transition, a masked sample), whether a second staff member must approve, and where it is (district, centre, area)',
				security: resident,
				requestBody: body({ type: 'object', description: 'the body of POST /api/v1/console/risk-areas' }),
				responses: {
					'200': json({
						type: 'object',
						required: ['preview', 'threshold', 'needsApproval', 'place'],
						properties: {
							preview: { type: 'object' },
							threshold: { type: 'integer' },
							needsApproval: { type: 'boolean' },
							place: { type: 'object' }
						}
					}),
					...errors
				}
			}
		},
		'/api/v1/console/map': {
			get: {
				summary:
					"Staff: the console map's layers as GeoJSON FeatureCollections ([lon, lat]) — district outlines, venues with today's scans, cell sites, risk areas not yet ended, and residents by colour per 0.01° grid cell (from the maintained aggregate)",
				security: resident,
				responses: {
					'200': json({
						type: 'object',
						required: ['asOf', 'bbox', 'districts', 'venues', 'unplacedVenues', 'cells', 'riskAreas', 'density'],
						properties: {
							asOf: { type: 'string', format: 'date-time' },
							bbox: { type: ['object', 'null'] },
							districts: { type: 'object', description: 'FeatureCollection: code, nameZh, nameEn' },
							venues: { type: 'object', description: 'FeatureCollection of points: id, name, region, policy, radiusM, scansToday' },
							unplacedVenues: { type: 'integer' },
							cells: { type: 'object', description: 'FeatureCollection of points: id, radiusM' },
							riskAreas: { type: 'object', description: 'FeatureCollection: id, name, level, from, until, active' },
							density: {
								type: 'object',
								description: '{ gridDeg, cells: FeatureCollection of squares with green/yellow/red counts, unplaced }'
							}
						}
					}),
					'401': problem
				}
			}
		},
		'/api/v1/console/risk-areas/{id}/end': {
			post: {
				summary: 'Staff: end a risk area now or at `until`; the residents it applied to are re-evaluated',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: {
					required: false,
					content: {
						'application/json': {
							schema: {
								type: 'object',
								additionalProperties: false,
								properties: { until: { type: 'string', format: 'date-time' }, reasonCode, note: { type: 'string', maxLength: 500 } }
							}
						}
					}
				},
				responses: { '200': json(outcome), '202': json(outcome, 'submitted for approval'), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/rules': {
			get: {
				summary: 'Staff: the active rule set (docs/rules.md)',
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem }
			},
			put: {
				summary:
					'Staff: publish a new rule-set version (validated) with a reason code; everyone whose colour changes is recoloured and audited — at once, or above the approval threshold once a second staff member approves',
				security: resident,
				parameters: reasonQuery,
				requestBody: body({ type: 'object', description: 'a rule set, format tongxing-rules/1 (docs/rules.md)' }),
				responses: { '200': json(outcome), '202': json(outcome, 'submitted for approval'), '409': problem, ...errors }
			}
		},
		'/api/v1/console/proposals': {
			get: {
				summary: 'Staff: proposals (colour-changing actions over the approval threshold, manual colour decisions), newest first',
				security: resident,
				parameters: [
					{ name: 'status', in: 'query', required: false, schema: { enum: ['pending', 'approved', 'applied', 'rejected', 'lapsed'] } }
				],
				responses: {
					'200': json({ type: 'object', properties: { proposals: { type: 'array' }, threshold: { type: 'integer' } } }),
					'401': problem
				}
			}
		},
		'/api/v1/console/proposals/{id}': {
			get: {
				summary: 'Staff: one proposal with its preview, reason, proposer and audit trail',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '200': json({ type: 'object' }), '401': problem, '404': problem }
			}
		},
		'/api/v1/console/proposals/{id}/approve': {
			post: {
				summary:
					'Staff: approve a pending proposal — not one’s own (403 proposal/own); re-checked and its preview re-computed (409 proposal/preview-changed when the counts moved), then applied',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '200': json(outcome), '401': problem, '403': problem, '404': problem, '409': problem }
			}
		},
		'/api/v1/console/proposals/{id}/reject': {
			post: {
				summary: 'Staff: reject a pending proposal (an urgent one in effect is undone)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: {
					required: false,
					content: {
						'application/json': { schema: { type: 'object', additionalProperties: false, properties: { note: { type: 'string' } } } }
					}
				},
				responses: { '200': json(outcome), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/overrides': {
			post: {
				summary: 'Staff: a manual colour decision for one person — always a proposal a second staff member approves',
				security: resident,
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['idType', 'idNumber', 'colour', 'reasonCode'],
					properties: {
						idType: { enum: ['resident', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreign-permanent'] },
						idNumber: { type: 'string' },
						colour: { enum: ['green', 'yellow', 'red'] },
						until: { type: 'string', format: 'date-time' },
						reasonCode,
						note: { type: 'string', maxLength: 500 }
					}
				}),
				responses: { '202': json(outcome, 'submitted for approval'), ...errors }
			}
		},
		'/api/v1/console/overrides/{id}/withdraw': {
			post: {
				summary: 'Staff: propose withdrawing a manual colour decision (itself a proposal)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['reasonCode'],
					properties: { reasonCode, note: { type: 'string', maxLength: 500 } }
				}),
				responses: { '202': json(outcome, 'submitted for approval'), '404': problem, ...errors }
			}
		},
		'/api/v1/console/rules/preview': {
			post: {
				summary: 'Staff: validate a proposed rule set and count residents per colour transition (nothing saved)',
				security: resident,
				requestBody: body({ type: 'object' }),
				responses: {
					'200': json({
						type: 'object',
						properties: {
							total: { type: 'integer' },
							changed: { type: 'integer' },
							transitions: { type: 'object' },
							before: { type: 'object' },
							after: { type: 'object' }
						}
					}),
					...errors
				}
			}
		},
		'/api/v1/console/member-links': {
			get: {
				summary: 'Staff: member requests waiting for review (adder, member masked, whether the register matches, note)',
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem }
			}
		},
		'/api/v1/console/overview': {
			get: {
				summary:
					"Staff: the overview — colour mix now and per hour, recolours per hour by reason, pending proposals and appeals, imports, scans per venue and hour, verdicts, guard devices' newest received scan, status-list size — from the counts the server keeps",
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem }
			}
		},
		'/api/v1/console/audit': {
			get: {
				summary:
					'Staff: the unified audit (staff actions, proposal steps, ID-number reads, member-link steps, staff colour decisions), newest first; filters actor, action (exact or prefix ending in "."), person (hash), from/until (ms), source; paged by `before` = the previous page\'s `next`',
				security: resident,
				parameters: ['actor', 'action', 'person', 'from', 'until', 'source', 'before', 'limit'].map((name) => ({
					name,
					in: 'query',
					required: false,
					schema: { type: 'string' }
				})),
				responses: { '200': json({ type: 'object' }), '400': problem, '401': problem }
			}
		},
		'/api/v1/console/audit/export': {
			get: {
				summary: 'Staff: the filtered audit as CSV (same filters, all pages); the export itself is recorded as `audit.export`',
				security: resident,
				parameters: ['actor', 'action', 'person', 'from', 'until', 'source'].map((name) => ({
					name,
					in: 'query',
					required: false,
					schema: { type: 'string' }
				})),
				responses: {
					'200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
					'400': problem,
					'401': problem
				}
			}
		},
		'/api/v1/console/member-links/{id}/approve': {
			post: {
				summary: 'Staff: approve a member request with the evidence checked (required; recorded and audited)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['evidence'],
					properties: { evidence: { type: 'string' } }
				}),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/member-links/{id}/reject': {
			post: {
				summary: 'Staff: reject a member request (optional note; audited)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({ type: 'object', additionalProperties: false, properties: { note: { type: 'string' } } }),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem }
			}
		},
		'/api/v1/console/tracing/cases': {
			get: {
				summary: 'Staff: confirmed cases to trace (newest first; masked identity) with their infectious window',
				security: resident,
				responses: { '200': json({ type: 'object' }), '401': problem }
			}
		},
		'/api/v1/console/tracing/query': {
			post: {
				summary:
					"Staff: a case's co-visitors in a time window (default: its infectious window) from venue scans, GPS fixes and shared cells, with overlap minutes and place; purpose required, audited (`tracing.query`)",
				security: resident,
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['caseId', 'purpose'],
					properties: {
						caseId: { type: 'string' },
						from: { type: ['string', 'null'], format: 'date-time' },
						until: { type: ['string', 'null'], format: 'date-time' },
						purpose: { type: 'string', maxLength: 500 }
					}
				}),
				responses: { '200': json({ type: 'object' }), '404': problem, ...errors }
			}
		},
		'/api/v1/console/tracing/contacts': {
			post: {
				summary:
					'Staff: mark people as close or secondary contacts of a case (contact facts, recoloured through the normal path); a proposal above the approval threshold',
				security: resident,
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['caseId', 'kind', 'people', 'reasonCode'],
					properties: {
						caseId: { type: 'string' },
						kind: { enum: ['close', 'secondary'] },
						people: {
							type: 'array',
							maxItems: 500,
							items: {
								type: 'object',
								required: ['ref', 'exposedAt'],
								properties: { ref: { type: 'string' }, exposedAt: { type: 'string', format: 'date-time' } }
							}
						},
						reasonCode,
						note: { type: 'string', maxLength: 500 }
					}
				}),
				responses: { '200': json(outcome), '202': json(outcome, 'Submitted for approval'), '404': problem, ...errors }
			}
		},
		'/api/v1/console/appeals': {
			get: {
				summary: 'Staff: the appeal queue — open and in review first, oldest first; over 24 h flagged overdue (?status= filters)',
				security: resident,
				parameters: [{ name: 'status', in: 'query', required: false, schema: { enum: ['open', 'in-review', 'upheld', 'rejected'] } }],
				responses: { '200': json({ type: 'object' }), '401': problem, '422': problem }
			}
		},
		'/api/v1/console/appeals/{id}': {
			get: {
				summary: 'Staff: one appeal beside the reasons and the exact facts behind them (masked identity; audited as appeal.view)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: { '200': json({ type: 'object' }), '401': problem, '404': problem }
			}
		},
		'/api/v1/console/appeals/{id}/correct': {
			post: {
				summary: 'Staff: answer an appeal by correcting facts (a fact-correction proposal: applied now under the threshold, else approved)',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['changes', 'why', 'resolution', 'reasonCode'],
					properties: {
						changes: {
							type: 'array',
							items: {
								type: 'object',
								required: ['kind', 'id', 'action'],
								properties: {
									kind: { enum: ['test', 'case', 'contact', 'quarantine'] },
									id: { type: 'string' },
									action: { enum: ['remove', 'negative', 'positive'] }
								}
							}
						},
						why: { type: 'string' },
						resolution: { type: 'string' },
						reasonCode,
						note: { type: 'string', maxLength: 500 }
					}
				}),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/appeals/{id}/override': {
			post: {
				summary: 'Staff: answer an appeal with a colour override — always a proposal a second staff member approves',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['colour', 'resolution', 'reasonCode'],
					properties: {
						colour: { enum: ['green', 'yellow', 'red'] },
						until: { type: 'string', format: 'date-time' },
						resolution: { type: 'string' },
						reasonCode,
						note: { type: 'string', maxLength: 500 }
					}
				}),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/appeals/{id}/reject': {
			post: {
				summary: 'Staff: reject an appeal with the reason the resident reads',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['resolution'],
					properties: { resolution: { type: 'string' } }
				}),
				responses: { '200': json({ type: 'object' }), '404': problem, '409': problem, ...errors }
			}
		},
		'/api/v1/console/people/lookup': {
			post: {
				summary: 'Staff: look a person up by ID number or phone (exact match, purpose required, audited as person.lookup)',
				security: resident,
				requestBody: body({
					type: 'object',
					additionalProperties: false,
					required: ['by', 'value', 'purpose'],
					properties: {
						by: { enum: ['id', 'phone'] },
						idType: { enum: ['resident', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreign-permanent'] },
						value: { type: 'string' },
						purpose: { type: 'string', minLength: 5, maxLength: 200 }
					}
				}),
				responses: { '200': json({ type: 'object' }), '404': problem, ...errors }
			}
		},
		'/api/v1/console/venues': {
			get: {
				summary: 'Staff: the venues (id, name, region, entry policy) with the number of guard phones enrolled',
				security: resident,
				responses: {
					'200': json({
						type: 'object',
						properties: {
							venues: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										id: { type: 'string' },
										name: { type: 'string' },
										region: { type: 'string' },
										policy: { type: 'string' },
										kind: { type: 'string' },
										guards: { type: 'integer' }
									}
								}
							}
						}
					}),
					'401': problem
				}
			},
			post: ADD_VENUE
		},
		'/api/v1/console/venues/{id}/guards': {
			post: {
				summary: 'Staff: enrol a guard phone for the venue, as `tongxing guard enrol` does; `code` (TXE1:…) is what /scan is enrolled with',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: {
					'201': json({
						type: 'object',
						properties: { deviceId: { type: 'string' }, venue: { type: 'object' }, code: { type: 'string' } }
					}),
					'401': problem,
					'404': problem
				}
			}
		},
		'/api/v1/console/credentials': {
			get: {
				summary:
					'Staff: guard devices (venue, enrolled, last upload, status) and data-source keys (source, key id, created, status), with who revoked them; never a token or key',
				security: resident,
				responses: {
					'200': json({ type: 'object', properties: { guards: { type: 'array' }, sourceKeys: { type: 'array' } } }),
					'401': problem
				}
			}
		},
		'/api/v1/console/guards/{id}/revoke': {
			post: {
				summary: 'Staff: revoke a guard device (as `tongxing guard revoke`): its uploads are refused with device/revoked from the next one',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: {
					'200': json({ type: 'object', properties: { id: { type: 'string' }, revokedAt: { type: 'integer', description: 'ms' } } }),
					'401': problem,
					'404': problem
				}
			}
		},
		'/api/v1/console/source-keys/{id}/revoke': {
			post: {
				summary: 'Staff: revoke a data-source key (as `tongxing source revoke`): its pushes are refused with source/revoked',
				security: resident,
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: {
					'200': json({ type: 'object', properties: { id: { type: 'string' }, revokedAt: { type: 'integer', description: 'ms' } } }),
					'401': problem,
					'404': problem
				}
			}
		},
		'/api/v1/dev/outbox': {
			get: { summary: 'Demo mode only: the SMS outbox', responses: { '200': json({ type: 'object' }), '404': problem } }
		},
		...PEOPLE_PATHS,
		'/api/v1/bench/constant': {
			get: { summary: 'Benchmark baseline; 404 unless TONGXING_BENCH=1', responses: { '200': json({ type: 'object' }), '404': problem } }
		}
	}
} as const;
