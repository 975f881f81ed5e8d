/**
 * Dates for display, in the resident's language, the one place the resident app formats them; China time
 * (UTC+8) is what every code is read against. Chinese reads "2026/12/08 09:18"; English reads the British way,
 * "8 Dec 2026, 09:18" (a spelled month cannot be misread as 12 August).
 */
import type { Locale } from '$lib/i18n/i18n.svelte';

const TIME: Record<Locale, Intl.DateTimeFormatOptions & { lang: string }> = {
	'zh-CN': { lang: 'zh-CN', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
	en: { lang: 'en-GB', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }
};

/** A moment: "2026/12/08 09:18" · "8 Dec 2026, 09:18". */
export function formatTime(ms: number, locale: Locale): string {
	const { lang, ...options } = TIME[locale];
	return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'Asia/Shanghai' }).format(ms);
}

/** A day: "2026/12/08" · "8 Dec 2026". */
export function formatDate(ms: number, locale: Locale): string {
	const { lang, year, month, day } = TIME[locale];
	return new Intl.DateTimeFormat(lang, { year, month, day, timeZone: 'Asia/Shanghai' }).format(ms);
}
