import { DEMO_IDENTITIES } from '../demo/identities.js';
import { DEMO_APPROVER, DEMO_STAFF } from '../demo/seed-staff.js';
import { DEMO_VENUES } from '../demo/seed-venues.js';

/** tongxing demo — who to sign in as in demo mode, and where the one-time codes appear. */
export function demoCommand(_argv: string[], _dataDir: string, _nowMs: number): Promise<number> {
	const port = process.env.PORT ?? '3000';
	const lines = [
		'Demo identities (synthetic) / 演示身份：',
		...DEMO_IDENTITIES.map(
			(p) =>
				`  ${p.name}  ${p.idNumber}  region ${p.region}  household ${p.household}  ${p.phone ? `phone ${p.phone}` : `(no phone: a family member of the same household can add them)`}`
		),
		`Sign in with a phone above; the one-time code appears in the server log and at http://localhost:${port}/api/v1/dev/outbox`,
		'Demo venues / 演示场所 (enrol a scanner: tongxing guard enrol ID, paste its "code" at /scan):',
		...DEMO_VENUES.map((v) => `  ${v.id}  ${v.name}  region ${v.region}  policy ${v.policy}`),
		`Resident app / 居民: http://localhost:${port}/app   Scanner / 扫码: http://localhost:${port}/scan`,
		`Console / 管理控制台: http://localhost:${port}/console  username ${DEMO_STAFF.username}  password ${DEMO_STAFF.password}  second staff member to approve proposals / 审批人: username ${DEMO_APPROVER.username}  password ${DEMO_APPROVER.password}  (more accounts: tongxing staff add USERNAME)`,
		`API: http://localhost:${port}/api/v1/openapi.json`
	];
	process.stdout.write(lines.join('\n') + '\n');
	return Promise.resolve(0);
}
