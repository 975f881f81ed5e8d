/**
 * The staff actions under the approval rule, each as: re-check (at approval: is it still possible?), preview
 * (recolour/preview.ts: who would change colour), apply (the normal path: recolour/risk-areas.ts, rule-sets.ts,
 * a recolour run for one person — every change through the one issuance pipeline, old codes revoked), and for an
 * urgent one in effect, undo (what a lapse or rejection does). Payloads are stored as JSON in the proposal.
 */
import { randomBytes } from 'node:crypto';
import type { IssuerDeps } from '../deps.js';
import type { StaffDecision } from '../issuance/decision.js';
import { DomainError } from '../domain-error.js';
import type { StoredRiskArea } from '../store/risk-areas.js';
import { ruleSetVersionExists } from '../store/rule-sets.js';
import { colourOverrideById, insertColourOverride, withdrawColourOverride } from '../store/colour-overrides.js';
import { transaction } from '../store/db.js';
import { applyRiskArea, endableRiskArea, endRiskArea, voidRiskArea } from '../recolour/risk-areas.js';
import { applyRules } from '../recolour/rule-sets.js';
import { recolour } from '../recolour/recolour.js';
import { applyContacts, previewContacts, type NamedContacts } from '../recolour/contacts.js';
import {
	previewEndRiskArea,
	previewOverride,
	previewOverrideWithdrawal,
	previewRiskArea,
	previewRulesChange,
	type RecolourPreview
} from '../recolour/preview.js';
import { toBase64Url } from '../../core/bytes.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { importFile } from '../sources/import-file.js';
import { previewImport } from '../sources/import-preview.js';
import type { ImportEncoding, ImportFormat } from '../sources/import.js';
import type { KindName } from '../sources/kinds.js';
import { applyFactCorrection, checkFactCorrection, previewFactCorrection, type FactCorrectionPayload } from './fact-correction-kind.js';

export const PROPOSAL_KINDS = [
	'risk-area',
	'risk-area-end',
	'rules',
	'import',
	'colour-override',
	'override-withdraw',
	'contacts',
	'fact-correction'
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export interface OverridePayload {
	ref: string;
	colour: 'green' | 'yellow' | 'red';
	/** ms, or null: until withdrawn */
	until: number | null;
	idMasked: string;
}

export interface Payloads {
	'risk-area': { area: StoredRiskArea };
	'risk-area-end': { id: string; until: number };
	rules: { rules: RuleSet };
	/** `data`: the file, base64 (absent once applied: the rows are in their tables) */
	import: { source: string; kind: KindName; format: ImportFormat; encoding: ImportEncoding; bytes: number; data?: string };
	'colour-override': OverridePayload;
	'override-withdraw': { overrideId: string; ref: string; idMasked: string };
	/** issue 15, contact tracing: people named as close / secondary contacts of a case (recolour/contacts.ts) */
	contacts: NamedContacts & { caseId: string };
	'fact-correction': FactCorrectionPayload;
}

interface KindSpec<P> {
	/** a manual decision about one person: always a proposal, whatever the count */
	always: boolean;
	/** throws the DomainError that makes it impossible now (async where it must read) */
	check(deps: IssuerDeps, p: P): Promise<void> | void;
	preview(deps: IssuerDeps, p: P): Promise<RecolourPreview>;
	apply(deps: IssuerDeps, p: P, actor: string, staff: StaffDecision): Promise<unknown>;
	/** what is kept of the payload once applied (default: all of it) */
	stored?(p: P): unknown;
	/** undoes an urgent action in effect (lapse, rejection); only risk areas can be urgent */
	undo?(deps: IssuerDeps, p: P, actor: string): Promise<unknown>;
}

const fileOf = (p: Payloads['import']) => new Uint8Array(Buffer.from(p.data ?? '', 'base64'));

/** A kind's spec for a stored proposal (its payload read back from JSON). */
export function specOf(kind: string): KindSpec<unknown> {
	return KINDS[kind as ProposalKind];
}

export const KINDS: { [K in ProposalKind]: KindSpec<Payloads[K]> } = {
	'risk-area': {
		always: false,
		check: () => undefined,
		preview: (deps, p) => previewRiskArea(deps, p.area),
		apply: (deps, p, actor, staff) => applyRiskArea(deps, p.area, actor, staff),
		// unapproved, it never stood: its window is emptied and its residents re-evaluated without it
		undo: (deps, p, actor) => voidRiskArea(deps, p.area.id, actor)
	},
	'risk-area-end': {
		always: false,
		check: async (deps, p) => void (await endableRiskArea(deps, p.id, p.until)),
		preview: async (deps, p) => previewEndRiskArea(deps, await endableRiskArea(deps, p.id, p.until), p.until),
		apply: (deps, p, actor, staff) => endRiskArea(deps, p.id, actor, p.until, staff)
	},
	rules: {
		always: false,
		check: async (deps, p) => {
			if (await ruleSetVersionExists(deps.db, p.rules.version))
				throw new DomainError('rules/version-exists', { params: { version: p.rules.version } });
		},
		preview: (deps, p) => previewRulesChange(deps, p.rules),
		apply: (deps, p, actor, staff) => applyRules(deps, p.rules, actor, staff)
	},
	import: {
		always: false,
		check: () => undefined,
		preview: (deps, p) => previewImport(deps, p.kind, fileOf(p), p),
		apply: async (deps, p, actor, staff) => {
			const r = await importFile(deps, p.kind, [fileOf(p)], { format: p.format, encoding: p.encoding }, actor, undefined, staff);
			return {
				kind: p.kind,
				rows: r.rows,
				recoloured: { evaluated: r.recoloured.evaluated, changed: r.recoloured.changed, transitions: r.recoloured.transitions }
			};
		},
		stored: ({ data: _data, ...rest }) => rest
	},
	'colour-override': {
		always: true,
		check: (deps, p) => {
			if (p.until !== null && p.until <= deps.clock())
				throw new DomainError('override/invalid', {
					errors: [{ field: 'until', code: 'time/order', message: { 'zh-CN': '结束时间已过', en: 'the end time has passed' } }]
				});
		},
		preview: (deps, p) => previewOverride(deps, p.ref, p.colour),
		apply: async (deps, p, actor, staff) => {
			const id = toBase64Url(randomBytes(9));
			await transaction(deps.db, (tx) =>
				insertColourOverride(tx, {
					id,
					ref: p.ref,
					colour: p.colour,
					reason_code: staff.reasonCode,
					proposal_id: staff.proposalId,
					from_at: deps.clock(),
					until_at: p.until,
					withdrawn_at: null,
					withdrawn_by: null
				})
			);
			const r = await recolour(deps, [p.ref], { actor, staff });
			return { overrideId: id, changed: r.changed };
		}
	},
	'override-withdraw': {
		always: true,
		check: async (deps, p) => {
			const o = await colourOverrideById(deps.db, p.overrideId);
			if (!o || o.withdrawn_at !== null) throw new DomainError('override/not-found');
		},
		preview: (deps, p) => previewOverrideWithdrawal(deps, p.ref, p.overrideId),
		apply: async (deps, p, actor, staff) => {
			if (!(await withdrawColourOverride(deps.db, p.overrideId, deps.clock(), staff.proposalId)))
				throw new DomainError('override/not-found');
			const r = await recolour(deps, [p.ref], { actor, staff });
			return { overrideId: p.overrideId, changed: r.changed };
		}
	},
	contacts: {
		always: false,
		check: () => undefined,
		preview: (deps, p) => previewContacts(deps, p),
		apply: async (deps, p, actor, staff) => {
			const r = await applyContacts(deps, p, actor, staff);
			return { contacts: p.people.length, recoloured: { evaluated: r.evaluated, changed: r.changed, transitions: r.transitions } };
		}
	},
	// an import error corrected (issue 15, appeals): under the approval rule by count, like an import
	'fact-correction': {
		always: false,
		check: (deps, p) => checkFactCorrection(deps, p),
		preview: (deps, p) => previewFactCorrection(deps, p),
		apply: (deps, p, actor, staff) => applyFactCorrection(deps, p, actor, staff)
	}
};
