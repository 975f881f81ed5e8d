/**
 * Keeps a person supplied with codes from their latest colour decision: used when the app fetches its codes
 * (first device registration, current code nearing its end) and after a key compromise.
 */
import type { PeopleTable } from '../store/schema.js';
import type { ColourReason } from '../../core/colour-reasons.js';
import type { Colour } from '../../core/claims.js';
import { REFRESH_ACTOR, issueCodes } from './codes.js';
import type { IssuerDeps } from './deps.js';

/** Issues current + next when no live code is valid beyond the overlap window. Returns whether it issued. */
export async function topUp(
	deps: IssuerDeps,
	person: PeopleTable,
	holder: { deviceKey: string | null; proxyName?: string },
	force = false
): Promise<boolean> {
	const now = deps.clock();
	if (!holder.deviceKey) return false;
	if (!force) {
		const fresh = await deps.db
			.selectFrom('codes')
			.select('code_id')
			.where('person_id', '=', person.id)
			.where('status', '=', 'live')
			.where('kind', '!=', 'paper')
			.where('exp', '>', now + deps.config.codeOverlapMs)
			.executeTakeFirst();
		if (fresh) return false;
	}
	const decision = await deps.db
		.selectFrom('colour_events')
		.selectAll()
		.where('person_id', '=', person.id)
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	if (!decision) return false;
	const reasons = decision.colour === 'green' ? [] : (JSON.parse(decision.reasons_json) as ColourReason[]);
	await deps.db
		.transaction()
		.execute((tx) =>
			issueCodes(
				deps,
				tx,
				person,
				{
					colour: decision.colour as Colour,
					reasons,
					auditReasons: reasons,
					ruleVersion: decision.rule_version,
					facts: null,
					actor: REFRESH_ACTOR
				},
				holder
			)
		);
	return true;
}
