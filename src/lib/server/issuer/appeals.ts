import type { IssuerDeps } from './deps.js';
import type { AppealStatus } from '../store/schema.js';
import { ApiError } from '../http/api-error.js';
import { expectObject } from '../http/read-json.js';
import { AppealRequestSchema } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { newId } from './accounts.js';

export interface AppealView {
	id: string;
	personId: string;
	codeId: string | null;
	text: string;
	status: AppealStatus;
	createdAt: number;
	updatedAt: number;
	resolution: string | null;
}

/** An appeal against a colour: the person (self or a member of this account), optionally the code, and why. */
export async function submitAppeal(deps: IssuerDeps, accountId: string, body: unknown): Promise<AppealView> {
	const b = expectObject(body, requestKeys(AppealRequestSchema));
	const text = typeof b.text === 'string' ? b.text.trim() : '';
	if (text.length < 5 || text.length > 1000 || typeof b.personId !== 'string') {
		throw new ApiError(422, 'appeal/invalid', 'Please correct the highlighted fields / 请更正标出的字段', {
			errors: [
				...(typeof b.personId !== 'string'
					? [{ field: 'personId', code: 'appeal/person', message: { 'zh-CN': '请选择申诉人', en: 'choose the person' } }]
					: []),
				...(text.length < 5 || text.length > 1000
					? [{ field: 'text', code: 'appeal/text', message: { 'zh-CN': '请用 5–1000 字说明理由', en: 'explain in 5–1000 characters' } }]
					: [])
			]
		});
	}
	const person = await deps.db
		.selectFrom('people')
		.select('id')
		.where('id', '=', b.personId)
		.where('account_id', '=', accountId)
		.where('removed_at', 'is', null)
		.executeTakeFirst();
	if (!person) throw new ApiError(404, 'appeal/person-not-found', 'No such person on this account / 本账户无此人');
	const codeId = typeof b.codeId === 'string' ? b.codeId : null;
	if (codeId !== null) {
		const code = await deps.db
			.selectFrom('codes')
			.select('code_id')
			.where('code_id', '=', codeId)
			.where('person_id', '=', person.id)
			.executeTakeFirst();
		if (!code) throw new ApiError(404, 'appeal/code-not-found', 'No such code for this person / 无此健康码');
	}
	const now = deps.clock();
	const row = {
		id: newId(),
		person_id: person.id,
		code_id: codeId,
		text,
		status: 'open' as const,
		created_at: now,
		updated_at: now,
		resolution: null
	};
	await deps.db.insertInto('appeals').values(row).execute();
	return view(row);
}

export async function listAppeals(deps: IssuerDeps, accountId: string): Promise<AppealView[]> {
	const rows = await deps.db
		.selectFrom('appeals')
		.innerJoin('people', 'people.id', 'appeals.person_id')
		.selectAll('appeals')
		.where('people.account_id', '=', accountId)
		.orderBy('appeals.created_at', 'desc')
		.execute();
	return rows.map(view);
}

function view(r: {
	id: string;
	person_id: string;
	code_id: string | null;
	text: string;
	status: AppealStatus;
	created_at: number;
	updated_at: number;
	resolution: string | null;
}): AppealView {
	return {
		id: r.id,
		personId: r.person_id,
		codeId: r.code_id,
		text: r.text,
		status: r.status,
		createdAt: r.created_at,
		updatedAt: r.updated_at,
		resolution: r.resolution
	};
}
