/**
 * Data sources over HTTP against the production build: the push API with a source key (all or nothing,
 * problem+json naming each bad record), the staff console's file upload (per-line errors, nothing written; a
 * good file stored and its people recoloured), risk-area and rules documents refused with field errors.
 * Staff account and source key come from the CLI, as an operator would create them.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DATA_DIR = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
const cli = (args: string[], input?: string) =>
	execFileSync(process.execPath, ['bin/tongxing.js', ...args], {
		env: { ...process.env, DATA_DIR },
		encoding: 'utf8',
		...(input ? { input } : {})
	}).trim();
const problem = async (r: Promise<{ status(): number; headers(): Record<string, string>; json(): Promise<unknown> }>) => {
	const res = await r;
	expect(res.headers()['content-type']).toContain('application/problem+json');
	const body = (await res.json()) as { code: string; errors?: { field: string; code: string }[] };
	return { status: res.status(), code: body.code, fields: (body.errors ?? []).map((e) => e.field) };
};

test.describe('data sources', () => {
	let staff: APIRequestContext;
	let healthKey: string;

	test.beforeAll(async ({ playwright }) => {
		const user = `e2e.staff${Date.now() % 100000}`;
		cli(['staff', 'add', user, '--password-stdin'], 'correct horse battery staple\n');
		healthKey = cli(['source', 'add', 'health']);
		staff = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { origin: ORIGIN } });
		expect(
			(await staff.post('/api/v1/staff/session', { data: { username: user, password: 'correct horse battery staple' } })).status()
		).toBe(200);
	});

	test('push API: key required, bad records named and nothing written, good records accepted', async ({ playwright }) => {
		const api = await playwright.request.newContext({ baseURL: ORIGIN });
		const records = [{ idNumber: '440305199003071236', sampledAt: '2026-11-28T08:00:00+08:00', result: 'negative' }];
		expect(await problem(api.post('/api/v1/sources/health/tests', { data: { records } }))).toMatchObject({
			status: 401,
			code: 'auth/source'
		});
		const auth = { authorization: `Bearer ${healthKey}` };
		expect(await problem(api.post('/api/v1/sources/health/trajectory', { headers: auth, data: { records } }))).toMatchObject({
			status: 404,
			code: 'source/unknown-kind'
		});
		const bad = await problem(
			api.post('/api/v1/sources/health/tests', {
				headers: auth,
				data: { records: [...records, { idNumber: '440305199003071237', sampledAt: 'soon', result: 'maybe' }] }
			})
		);
		expect(bad).toEqual({
			status: 422,
			code: 'source/invalid-records',
			fields: ['records.1.idNumber', 'records.1.sampledAt', 'records.1.result']
		});
		const ok = await api.post('/api/v1/sources/health/tests', { headers: auth, data: { records } });
		expect(ok.status()).toBe(200);
		expect(await ok.json()).toMatchObject({ accepted: 1, recoloured: { evaluated: 1 } });
	});

	test('console upload: staff only; bad rows by line, nothing written; a good file recolours its people', async ({ playwright }) => {
		const anon = await playwright.request.newContext({ baseURL: ORIGIN });
		expect(
			await problem(
				anon.post('/api/v1/console/imports?source=health&kind=cases', {
					headers: { 'content-type': 'text/csv' },
					data: 'idNumber,confirmedAt\n'
				})
			)
		).toMatchObject({ status: 401 });
		const csv = (rows: string[]) => ['idNumber,confirmedAt', ...rows].join('\n');
		const bad = await problem(
			staff.post('/api/v1/console/imports?source=health&kind=cases&reasonCode=test-result', {
				headers: { 'content-type': 'text/csv' },
				data: csv(['440304198511124567,2026-11-28 08:00', '440304198511124567,yesterday'])
			})
		);
		expect(bad).toEqual({ status: 422, code: 'import/invalid-rows', fields: ['line.3.confirmedAt'] });
		expect(
			await problem(
				staff.post('/api/v1/console/imports?source=health&kind=phones&reasonCode=test-result', {
					headers: { 'content-type': 'text/csv' },
					data: csv([])
				})
			)
		).toMatchObject({ status: 400, code: 'import/kind' });
		// every colour-changing staff action needs a reason code from the fixed list
		expect(
			await problem(
				staff.post('/api/v1/console/imports?source=health&kind=cases', {
					headers: { 'content-type': 'text/csv' },
					data: csv(['440304198511124567,2026-11-28 08:00'])
				})
			)
		).toMatchObject({ status: 422, code: 'proposal/reason' });
		const ok = await staff.post('/api/v1/console/imports?source=health&kind=cases&reasonCode=test-result', {
			headers: { 'content-type': 'text/csv' },
			data: csv(['440304198511124567,2026-11-28 08:00'])
		});
		expect(ok.status()).toBe(200);
		// one resident recoloured, under the approval threshold: imported at once, recorded with its reason code
		expect(await ok.json()).toMatchObject({
			proposal: { status: 'applied', kind: 'import', reasonCode: 'test-result' },
			result: { kind: 'cases', rows: 1, recoloured: { evaluated: 1, changed: 1 } }
		});
	});

	test('risk areas and rules: documents checked field by field, nothing saved', async () => {
		const area = await problem(
			staff.post('/api/v1/console/risk-areas', { data: { name: 'x', level: 'extreme', polygon: [[114, 22]], from: 'today' } })
		);
		expect(area).toMatchObject({ status: 422, code: 'area/invalid' });
		expect(area.fields.sort()).toEqual(['from', 'level', 'polygon']);
		expect((await (await staff.get('/api/v1/console/risk-areas')).json()) as unknown).toEqual({ areas: [] });
		expect(await problem(staff.post('/api/v1/console/rules/preview', { data: { format: 'tongxing-rules/1' } }))).toMatchObject({
			status: 422,
			code: 'rules/invalid'
		});
		const active = (await (await staff.get('/api/v1/console/rules')).json()) as { builtIn: boolean };
		expect(active.builtIn).toBe(true);
	});
});
