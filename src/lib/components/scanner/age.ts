import { t } from '$lib/i18n/i18n.svelte';

/** "5 min", "3 h", "2 d" — coarse on purpose: a guard needs the order of magnitude. */
export function formatAge(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 60) return t('scanner:age.seconds', { n: s });
	if (s < 3600) return t('scanner:age.minutes', { n: Math.floor(s / 60) });
	if (s < 2 * 86_400) return t('scanner:age.hours', { n: Math.floor(s / 3600) });
	return t('scanner:age.days', { n: Math.floor(s / 86_400) });
}
