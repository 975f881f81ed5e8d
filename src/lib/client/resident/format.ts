/** Dates for display, in the resident's language; China time (UTC+8) is what every code is read against. */
import type { Locale } from '$lib/i18n/i18n.svelte';

export function formatTime(ms: number, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(ms);
}
