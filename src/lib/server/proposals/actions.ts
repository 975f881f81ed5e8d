/**
 * The console's colour-changing actions as the routes call them: each parses its own body (the same checks as
 * before: recolour/risk-areas.ts, rule-sets.ts) and goes through submitAction (proposals.ts), which alone decides
 * whether it applies now or waits for a second staff member.
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { endableRiskArea, parseRiskArea } from '../recolour/risk-areas.js';
import { parseRuleSet } from '../recolour/rule-sets.js';
import { importProblem, readConsoleImport } from '../sources/console-import.js';
import { checkReason, submitAction, type ActionOutcome, type StaffReason } from './proposals.js';

/** The reason fields a risk-area body may carry besides the area itself. */
const REASON_KEYS = ['reasonCode', 'note', 'urgent'];

/** POST /console/risk-areas: { …area, reasonCode, note?, urgent? }. */
export async function proposeRiskArea(deps: IssuerDeps, staffId: string, body: unknown): Promise<ActionOutcome> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('request/not-object');
	const o = body as Record<string, unknown>;
	const area = parseRiskArea(Object.fromEntries(Object.entries(o).filter(([k]) => !REASON_KEYS.includes(k))));
	if (o.urgent !== undefined && typeof o.urgent !== 'boolean')
		throw new DomainError('area/invalid', {
			errors: [{ field: 'urgent', code: 'field/invalid', message: { 'zh-CN': '须为是或否', en: 'true or false' } }]
		});
	return submitAction(
		deps,
		staffId,
		{ kind: 'risk-area', payload: { area }, summary: `${area.name} (${area.level})`, urgent: o.urgent === true },
		{ reasonCode: o.reasonCode, note: o.note }
	);
}

/** POST /console/risk-areas/[id]/end */
export async function proposeEndRiskArea(
	deps: IssuerDeps,
	staffId: string,
	id: string,
	untilMs: number,
	reason: StaffReason
): Promise<ActionOutcome> {
	const row = await endableRiskArea(deps, id, untilMs);
	return submitAction(
		deps,
		staffId,
		{ kind: 'risk-area-end', payload: { id, until: untilMs }, summary: `${row.name} (${row.level})` },
		reason
	);
}

/** PUT /console/rules (the body is the rules document; the reason comes in the query). */
export async function proposeRules(deps: IssuerDeps, staffId: string, body: unknown, reason: StaffReason): Promise<ActionOutcome> {
	const rules = parseRuleSet(body);
	return submitAction(deps, staffId, { kind: 'rules', payload: { rules }, summary: `rules ${rules.version}` }, reason);
}

/** POST /console/imports?source=&kind=[&encoding=]&reasonCode=[&note=] (body: the file). */
export async function proposeImport(deps: IssuerDeps, staffId: string, request: Request, url: URL): Promise<ActionOutcome> {
	const reason = { reasonCode: url.searchParams.get('reasonCode') ?? undefined, note: url.searchParams.get('note') ?? undefined };
	checkReason(reason); // before reading a large file
	const file = await readConsoleImport(request, url);
	try {
		return await submitAction(
			deps,
			staffId,
			{
				kind: 'import',
				payload: {
					source: file.source,
					kind: file.kind,
					format: file.format,
					encoding: file.encoding,
					bytes: file.data.length,
					data: Buffer.from(file.data).toString('base64')
				},
				summary: `${file.source}/${file.kind} (${file.data.length} bytes)`
			},
			reason
		);
	} catch (e) {
		throw importProblem(e);
	}
}
