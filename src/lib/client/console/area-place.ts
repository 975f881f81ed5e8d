/**
 * A risk area's place (GET /console/risk-areas `place`, the map's preview) in words: district name in the reader's
 * language, the centre to 4 decimals (about 10 m) and the area in m² or km².
 */
import type { AreaPlace } from '$lib/core/contract/console-map';
import type { Locale, MessageKey } from '$lib/i18n/i18n.svelte';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function placeParts(p: AreaPlace, locale: Locale, t: T): { district: string; lon: string; lat: string; area: string } {
	const district = p.district ? (locale === 'en' ? p.district.nameEn : p.district.nameZh) : t('console-map:place.none');
	const area =
		p.areaM2 >= 100_000
			? t('console-map:area.km2', { n: (p.areaM2 / 1e6).toLocaleString(locale, { maximumFractionDigits: 2 }) })
			: t('console-map:area.m2', { n: Math.round(p.areaM2).toLocaleString(locale) });
	return { district, lon: p.centre[0].toFixed(4), lat: p.centre[1].toFixed(4), area };
}

/** One line: "福田，中心 114.0651, 22.5376，约 1.2 平方公里". */
export function placeText(p: AreaPlace, locale: Locale, t: T): string {
	return t('console-map:place.text', placeParts(p, locale, t));
}
