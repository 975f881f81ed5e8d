/**
 * The reason codes a staff member must give for any action that changes residents' colours (issue 13: "no one
 * changes colours alone"): a fixed list, so the audit and each resident's history say why in words everyone can
 * read (labels: the i18n `console` and `resident` catalogues, `staffReason.<code>`). `other` needs a note.
 */
export const STAFF_REASON_CODES = [
	'case-confirmed',
	'risk-area-outbreak',
	'contact-tracing',
	'test-result',
	'data-correction',
	'appeal-upheld',
	'rules-update',
	'other'
] as const;

export type StaffReasonCode = (typeof STAFF_REASON_CODES)[number];

export const MAX_REASON_NOTE = 500;

export function isStaffReasonCode(x: unknown): x is StaffReasonCode {
	return typeof x === 'string' && (STAFF_REASON_CODES as readonly string[]).includes(x);
}

/** What is wrong with a reason code and note, or null: an unknown code, `other` without a note, a note too long. */
export function reasonProblem(code: unknown, note: unknown): 'unknown' | 'note-required' | 'note-too-long' | null {
	if (!isStaffReasonCode(code)) return 'unknown';
	if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > MAX_REASON_NOTE)) return 'note-too-long';
	if (code === 'other' && (typeof note !== 'string' || !note.trim())) return 'note-required';
	return null;
}
