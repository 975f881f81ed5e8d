/**
 * Manual colour decisions for one person (issue 13): always a proposal a second staff member approves. Approved,
 * it is stored as a colour_overrides row the decision path honours (recolour/overrides.ts) until its end time or
 * until withdrawn — and a withdrawal is itself a proposal. Issue 15 (appeals) calls proposeColourOverride too.
 */
import { idErrorText } from '../../core/declaration/declaration-errors.js';
import { parseIsoTime } from '../../core/iso-time.js';
import type { IssuerDeps } from '../deps.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { colourOverrideById } from '../store/colour-overrides.js';
import { idHmac, maskIdNumber } from '../issuer/people.js';
import { ID_TYPES, validateIdNumber, type IdType } from '../../core/declaration/resident-id.js';
import { COLOURS, type Colour } from '../../core/claims.js';
import { submitAction, type ActionOutcome, type StaffReason } from './proposals.js';

export interface ColourOverrideRequest extends StaffReason {
	idType: unknown;
	idNumber: unknown;
	colour: unknown;
	/** ISO 8601 with a zone, or absent / null: until withdrawn */
	until?: unknown;
}

const problem = (field: string, code: string, en: string, zh: string): FieldProblem => ({ field, code, message: { 'zh-CN': zh, en } });

export async function proposeColourOverride(deps: IssuerDeps, staffId: string, req: ColourOverrideRequest): Promise<ActionOutcome> {
	const now = deps.clock();
	const errors: FieldProblem[] = [];
	const idType = (ID_TYPES as readonly string[]).includes(req.idType as string) ? (req.idType as IdType) : null;
	if (!idType) errors.push(problem('idType', 'id/type', `one of ${ID_TYPES.join(', ')}`, '证件类型无效'));
	const id = idType && typeof req.idNumber === 'string' ? validateIdNumber(idType, req.idNumber, now) : null;
	if (idType && id && !id.ok) errors.push(problem('idNumber', id.code, idErrorText(id.code).en, idErrorText(id.code)['zh-CN']));
	else if (idType && !id) errors.push(problem('idNumber', 'id/format', 'not a valid ID number for this ID type', '证件号码格式不正确'));
	if (!(COLOURS as readonly string[]).includes(req.colour as string))
		errors.push(problem('colour', 'colour/invalid', 'green, yellow or red', '须为绿、黄或红'));
	let until: number | null = null;
	if (req.until !== undefined && req.until !== null && req.until !== '') {
		const t = typeof req.until === 'string' ? parseIsoTime(req.until) : NaN;
		if (Number.isNaN(t)) errors.push(problem('until', 'time/format', 'an ISO 8601 time with a zone', '须为带时区的 ISO 8601 时间'));
		else if (t <= now) errors.push(problem('until', 'time/order', 'must be in the future', '须晚于当前时间'));
		else until = t;
	}
	if (errors.length || !id?.ok || !idType) throw new DomainError('override/invalid', { errors });
	const idMasked = maskIdNumber(id.value);
	const colour = req.colour as Colour;
	return submitAction(
		deps,
		staffId,
		{
			kind: 'colour-override',
			payload: { ref: idHmac(deps.hmacKey, idType, id.value), colour, until, idMasked },
			summary: `${idMasked} → ${colour}`
		},
		req
	);
}

/** Withdrawing an approved manual decision: a proposal too; approved, the person is re-evaluated by the rules alone. */
export async function proposeOverrideWithdrawal(
	deps: IssuerDeps,
	staffId: string,
	overrideId: string,
	reason: StaffReason
): Promise<ActionOutcome> {
	const o = await colourOverrideById(deps.db, overrideId);
	if (!o || o.withdrawn_at !== null) throw new DomainError('override/not-found');
	const idMasked = `${o.ref.slice(0, 10)}…`;
	return submitAction(
		deps,
		staffId,
		{ kind: 'override-withdraw', payload: { overrideId, ref: o.ref, idMasked }, summary: `withdraw ${overrideId} (${o.colour})` },
		reason
	);
}
