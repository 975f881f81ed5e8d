/**
 * The version people read in the footer: the release (package.json's semver, defined at build time as __APP_SEMVER__ by vite.config.ts) and the day it was built, e.g.
 * "0.1.0 · 2026/12/07" / "0.1.0 · 7 Dec 2026". Kit's own version (a build timestamp in ms, or APP_VERSION when
 * CI sets one) stays what the service worker compares; it is kept for support in the footer's title.
 */
import { version as build } from '$app/environment';
import { formatDate } from '$lib/client/resident/format';
import type { Locale } from '$lib/i18n/i18n.svelte';

export const BUILD_ID = build;

export function humanVersion(locale: Locale, kitVersion = build, release = __APP_SEMVER__): string {
	// Kit's default version is Date.now() at build time; any other value (APP_VERSION) is shown as it is.
	const builtAt = /^\d{12,14}$/.test(kitVersion) ? Number(kitVersion) : undefined;
	return builtAt === undefined ? `${release} · ${kitVersion}` : `${release} · ${formatDate(builtAt, locale)}`;
}
