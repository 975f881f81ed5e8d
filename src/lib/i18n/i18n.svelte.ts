/**
 * UI strings in zh-CN (default) and English, through i18next (interpolation, plurals, fallback to zh-CN).
 *
 * Why a thin wrapper: pages are prerendered in zh-CN and precached by the service worker, so the language is
 * a client-side choice kept in localStorage, and switching must re-render without a reload (a reload is also
 * fine offline, but it would lose a half-filled form). `t()` reads the reactive `locale`, so every `t(...)`
 * in a template re-runs when the language changes. Keys are typed from the zh-CN dictionaries: a missing or
 * misspelt key is a type error, not a blank on screen.
 */
import i18next from 'i18next';
import { common } from './locales/common';
import { errors } from './locales/errors';
// Types only: each app's strings are bundled with that app (its layout imports i18n/strings/<app>.ts, which calls
// addStrings), so the resident app's first load carries no console or scanner strings.
import type { consoleStrings } from './locales/console';
import type { consoleTracing } from './locales/console-tracing';
import type { consoleAppeals } from './locales/console-appeals';
import type { consoleOverview } from './locales/console-overview';
import type { consoleMap } from './locales/console-map';
import type { consoleFederation } from './locales/console-federation';
import type { proposals } from './locales/proposals';
import type { people } from './locales/console-people';
import type { resident } from './locales/resident';
import type { scanner } from './locales/scanner';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const STORAGE_KEY = 'tx-locale';

/** Loaded everywhere: the layout's strings, the staff reason codes and the error table's messages. */
const shared = { common, errors } as const;
type Namespaces = typeof shared & {
	resident: typeof resident;
	scanner: typeof scanner;
	console: typeof consoleStrings;
	overview: typeof consoleOverview;
	'console-map': typeof consoleMap;
	'console-federation': typeof consoleFederation;
	proposals: typeof proposals;
	tracing: typeof consoleTracing;
	people: typeof people;
	appeals: typeof consoleAppeals;
};
type Namespace = keyof Namespaces;
/** A plural key's base: i18next picks `key_one` / `key_other` from {{count}}, so callers name `key`. */
type PluralBase<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : K;
/** 'key' in the common namespace, 'ns:key' in the others. */
export type MessageKey =
	| keyof Namespaces['common']['zh-CN']
	| { [N in Exclude<Namespace, 'common'>]: `${N}:${PluralBase<keyof Namespaces[N]['zh-CN'] & string>}` }[Exclude<Namespace, 'common'>];

const resources = Object.fromEntries(
	LOCALES.map((lng) => [lng, Object.fromEntries(Object.entries(shared).map(([ns, d]) => [ns, d[lng]]))])
);

const instance = i18next.createInstance();
void instance.init({
	resources,
	lng: DEFAULT_LOCALE,
	fallbackLng: DEFAULT_LOCALE,
	ns: Object.keys(shared),
	defaultNS: 'common',
	// Keys contain dots ('update.available'): dictionaries are flat, so no nesting separators.
	keySeparator: false,
	nsSeparator: ':',
	// Svelte escapes text; i18next must not escape a second time.
	interpolation: { escapeValue: false },
	// Resources are bundled: initialise synchronously so the first render (and prerendering) has strings.
	initAsync: false,
	returnNull: false
});

const state = $state<{ locale: Locale }>({ locale: DEFAULT_LOCALE });

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The current locale (reactive). */
export function locale(): Locale {
	return state.locale;
}

/** Translate; re-runs in templates when the locale changes. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
	return instance.t(key, { ...vars, lng: state.locale });
}

/** Translate into a given locale (e.g. bilingual labels that show both). */
export function tIn(lng: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
	return instance.t(key, { ...vars, lng });
}

/** Switch language, remember it on this device and tell assistive tech via <html lang>. */
export function setLocale(next: Locale): void {
	state.locale = next;
	if (typeof document !== 'undefined') document.documentElement.lang = next;
	try {
		localStorage.setItem(STORAGE_KEY, next);
	} catch {
		// Private mode or storage full: the choice lasts for this page only.
	}
}

/** On the client, after hydration: restore the saved choice (pages are prerendered in zh-CN). */
export function restoreLocale(): void {
	let saved: string | null;
	try {
		saved = localStorage.getItem(STORAGE_KEY);
	} catch {
		saved = null;
	}
	if (isLocale(saved) && saved !== state.locale) setLocale(saved);
}

/** The dictionaries added so far (tests check every one's locales against zh-CN). */
export const DICTIONARIES: Partial<Record<Namespace, Namespaces[Namespace]>> = { ...shared };

/**
 * Adds one app's strings (i18n/strings/*.ts, imported by that app's layout before anything renders). Idempotent.
 */
export function addStrings<N extends Exclude<Namespace, keyof typeof shared>>(ns: N, dict: Namespaces[N]): void {
	if (DICTIONARIES[ns]) return;
	DICTIONARIES[ns] = dict;
	for (const lng of LOCALES) instance.addResourceBundle(lng, ns, dict[lng], true, true);
}
