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

const DURATION_UNITS: Record<Locale, { minute: (n: number) => string; hour: (n: number) => string; day: (n: number) => string }> = {
	'zh-CN': { minute: (n) => `${n} 分钟`, hour: (n) => `${n} 小时`, day: (n) => `${n} 天` },
	en: {
		minute: (n) => `${n} minute${n === 1 ? '' : 's'}`,
		hour: (n) => `${n} hour${n === 1 ? '' : 's'}`,
		day: (n) => `${n} day${n === 1 ? '' : 's'}`
	}
};

/** A rough length of time, rounded to its largest sensible unit: "10 分钟", "3 小时", "2 天" · "10 minutes", "2 days". */
export function formatDuration(ms: number, locale: Locale): string {
	const minutes = Math.round(Math.abs(ms) / 60_000);
	const u = DURATION_UNITS[locale];
	if (minutes < 90) return u.minute(Math.max(1, minutes));
	const hours = Math.round(minutes / 60);
	return hours < 48 ? u.hour(hours) : u.day(Math.round(hours / 24));
}
