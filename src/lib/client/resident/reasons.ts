/** A reason code (core/colour-reasons.ts, plus the audit log's 'no-adverse-data') in the resident's language. */
import { COLOUR_REASONS } from '$lib/core/colour-reasons';
import { t } from '$lib/i18n/i18n.svelte';

const KNOWN = new Set<string>([...Object.keys(COLOUR_REASONS), 'no-adverse-data']);

export function reasonText(reason: string): string {
	if (KNOWN.has(reason)) return t(`resident:reason.${reason as keyof typeof COLOUR_REASONS | 'no-adverse-data'}`);
	return t('resident:reason.unknown', { reason });
}
