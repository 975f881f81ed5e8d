/**
 * The colour decision until the rules engine (data-sources issue) lands: a verified declaration with no
 * adverse data is green (`no-adverse-data`); a declared fever or symptoms is yellow, as real codes did.
 */
import type { Declaration } from '../../core/declaration/schema.js';
import type { ColourDecision } from './codes.js';

export const INTERIM_RULE_VERSION = 'interim-1';

export function decideFromDeclaration(d: Pick<Declaration, 'feverDeclared' | 'symptomsDeclared'>, actor: string): ColourDecision {
	const reasons: ColourDecision['reasons'] = [];
	if (d.feverDeclared) reasons.push('fever-declared');
	if (d.symptomsDeclared) reasons.push('symptoms-declared');
	return {
		colour: reasons.length ? 'yellow' : 'green',
		reasons,
		auditReasons: reasons.length ? reasons : ['no-adverse-data'],
		ruleVersion: INTERIM_RULE_VERSION,
		facts: { feverDeclared: d.feverDeclared, symptomsDeclared: d.symptomsDeclared },
		actor
	};
}
