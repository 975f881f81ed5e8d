/**
 * The repositories of appeals to an outcome (migration 024), on SQLite and — with TEST_DATABASE_URL — PostgreSQL:
 * the queue's order (still to handle first, oldest first; handled ones most recently decided first), a guarded
 * status change, appeals waiting on a decided proposal, fact corrections append-only, a test result changed and a
 * record removed by id and ref only, and who a phone hash names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineFixtures } from './engine-fixtures';
import { openDatabase, type OpenDatabase } from './open';
import { appealQueue, appealsWithDecidedProposal, insertAppeal, updateAppealIf } from './appeals';
import { factCorrectionsOfRef, factRecord, insertFactCorrection, removeFactRecord, setTestResult } from './fact-corrections';
import { refsOfPhone } from './dossier';
import type { AppealsTable } from './schema';

const T0 = 1_767_225_600_123;

const engines = engineFixtures('appeals').map((f) => ({ ...f, name: f.engine }));

for (const engine of engines) {
	describe(`appeal outcomes storage: ${engine.name}`, () => {
		const opened: OpenDatabase[] = [];
		afterEach(async () => {
			await Promise.all(opened.splice(0).map((h) => h.close()));
			await engine.cleanup();
		});
		async function fresh() {
			const h = await openDatabase(engine.fresh());
			opened.push(h);
			const db = h.db;
			await db.insertInto('accounts').values({ id: 'acc', phone_hmac: 'phone-h', phone_enc: 'v1.n.s', created_at: T0 }).execute();
			await db
				.insertInto('people')
				.values({
					id: 'p1',
					account_id: 'acc',
					id_hmac: 'ref-1',
					id_masked: '4403**********123X',
					id_suffix: '123X',
					name_masked: '张*',
					region: '440300',
					relation: 'self',
					consent_evidence: null,
					created_at: T0
				})
				.execute();
			return db;
		}
		const appeal = (id: string, status: AppealsTable['status'], created: number, updated = created): AppealsTable => ({
			id,
			person_id: 'p1',
			code_id: null,
			text: 'not mine',
			reason: null,
			status,
			created_at: created,
			updated_at: updated,
			resolution: null,
			outcome: null,
			proposal_id: null,
			resolved_by: null,
			resolved_at: null
		});

		it('queues pending appeals oldest first, then handled ones newest first; guarded status changes', async () => {
			const db = await fresh();
			await insertAppeal(db, appeal('done-old', 'rejected', T0, T0 + 10));
			await insertAppeal(db, appeal('open-new', 'open', T0 + 5));
			await insertAppeal(db, appeal('review-old', 'in-review', T0 + 1));
			await insertAppeal(db, appeal('done-new', 'upheld', T0 + 2, T0 + 20));
			expect((await appealQueue(db, null, 10)).map((a) => a.id)).toEqual(['review-old', 'open-new', 'done-new', 'done-old']);
			const q = await appealQueue(db, 'open', 10);
			expect(q.map((a) => [a.id, a.ref, a.name_masked])).toEqual([['open-new', 'ref-1', '张*']]);
			expect(
				await updateAppealIf(db, 'open-new', ['open'], {
					status: 'rejected',
					outcome: 'rejected',
					resolved_at: T0 + 30,
					updated_at: T0 + 30
				})
			).toBe(true);
			expect(await updateAppealIf(db, 'open-new', ['open'], { status: 'upheld' })).toBe(false);
			expect((await appealQueue(db, 'rejected', 10)).map((a) => a.id)).toEqual(['open-new', 'done-old']);
		});

		it('finds in-review appeals whose proposal was decided', async () => {
			const db = await fresh();
			const proposal = (id: string, status: string) => ({
				id,
				kind: 'colour-override',
				status,
				payload_json: '{}',
				preview_json: '{}',
				summary: 's',
				reason_code: 'appeal-upheld',
				note: null,
				urgent: 0,
				proposed_by: 'a',
				proposed_at: T0,
				decided_by: 'b',
				decided_at: T0 + 1,
				deadline_at: null,
				applied_at: status === 'applied' ? T0 + 2 : null,
				result_json: null
			});
			await db
				.insertInto('proposals')
				.values([proposal('pa', 'applied'), proposal('pp', 'pending')])
				.execute();
			await insertAppeal(db, { ...appeal('a1', 'in-review', T0), proposal_id: 'pa' });
			await insertAppeal(db, { ...appeal('a2', 'in-review', T0), proposal_id: 'pp' });
			expect((await appealsWithDecidedProposal(db)).map((a) => [a.id, a.proposal_status, a.applied_at])).toEqual([
				['a1', 'applied', T0 + 2]
			]);
		});

		it('corrects facts by id and ref; corrections are append-only; a phone hash names the holder and the carrier’s registration', async () => {
			const db = await fresh();
			await db.insertInto('health_tests').values({ id: 't1', ref: 'ref-1', sampled_at: T0, result: 'positive', received_at: T0 }).execute();
			await db
				.insertInto('contacts')
				.values({ id: 'c1', ref: 'ref-1', kind: 'close', to_ref: 'ref-9', exposed_at: T0, received_at: T0 })
				.execute();
			expect(await setTestResult(db, 't1', 'ref-2', 'negative')).toBe(false);
			expect(await setTestResult(db, 't1', 'ref-1', 'negative')).toBe(true);
			expect(await factRecord(db, 'test', 't1', 'ref-1')).toMatchObject({ result: 'negative', sampled_at: T0 });
			expect(await removeFactRecord(db, 'contact', 'c1', 'ref-2')).toBe(false);
			expect(await removeFactRecord(db, 'contact', 'c1', 'ref-1')).toBe(true);
			expect(await factRecord(db, 'contact', 'c1', 'ref-1')).toBeUndefined();
			const row = {
				ref: 'ref-1',
				fact_kind: 'test',
				fact_id: 't1',
				before_json: '{"result":"positive"}',
				after_json: '{"result":"negative"}',
				why: 'lab mix-up',
				corrected_by: 'alice',
				at: T0,
				appeal_id: 'a1',
				proposal_id: 'p1'
			};
			await insertFactCorrection(db, row);
			await insertFactCorrection(db, { ...row, at: T0 + 1, fact_kind: 'contact', fact_id: 'c1', after_json: null });
			expect((await factCorrectionsOfRef(db, 'ref-1')).map((c) => c.fact_id)).toEqual(['c1', 't1']);
			await expect(db.updateTable('fact_corrections').set({ why: 'x' }).execute()).rejects.toThrow();
			await expect(db.deleteFrom('fact_corrections').execute()).rejects.toThrow();

			await db.insertInto('phone_registry').values({ phone_hmac: 'phone-h', id_hmac: 'ref-7', updated_at: T0 }).execute();
			expect((await refsOfPhone(db, 'phone-h')).sort()).toEqual(['ref-1', 'ref-7']);
			expect(await refsOfPhone(db, 'phone-x')).toEqual([]);
		});
	});
}
