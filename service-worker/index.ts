/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The service worker: precache the app shell of this build so every page opens with no network.
// Kit bundles this file (kit.files.serviceWorker) and emits /service-worker.js; the page registers
// it with workbox-window and shows an update prompt while a new version is waiting.
import { build, files, prerendered, version } from '$service-worker';
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { clientsClaim, setCacheNameDetails } from 'workbox-core';
import { registerRoute } from 'workbox-routing';
import { navigationFallback } from './fallback';

declare const self: ServiceWorkerGlobalScope;

// Versioned caches: each build precaches into its own cache, so a waiting update never changes what the
// running version serves; the old caches go when the new worker activates (below).
const PREFIX = 'tongxing';
setCacheNameDetails({ prefix: PREFIX, suffix: version });

// build: hashed files under /_app/immutable, so the URL is the revision.
// files (static/) and prerendered pages keep their URL across builds: revise them by build version.
precacheAndRoute(
	[
		...build.map((url) => ({ url, revision: null })),
		...files.map((url) => ({ url, revision: version })),
		...prerendered.map((url) => ({ url, revision: version }))
	],
	// Pages take their state from query parameters (/app?member=…), read on the client: the same shell serves
	// every query.
	{ ignoreURLParametersMatching: [/.*/] }
);
cleanupOutdatedCaches();

// Navigations that are not precached (a mistyped /app/… URL, an API page): network, and with no network the
// app's offline page rather than the browser's error page.
registerRoute(
	({ request }) => request.mode === 'navigate',
	async ({ request, url }) => {
		try {
			return await fetch(request);
		} catch {
			return (await matchPrecache(navigationFallback(url.pathname))) ?? Response.error();
		}
	}
);

self.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((names) =>
				Promise.all(names.filter((n) => n.startsWith(PREFIX + '-') && !n.endsWith('-' + version)).map((n) => caches.delete(n)))
			)
	);
});

// A first install takes control at once; an update waits until the user accepts it
// (workbox-window's messageSkipWaiting() posts { type: 'SKIP_WAITING' }).
clientsClaim();
self.addEventListener('message', (event: ExtendableMessageEvent) => {
	if (isSkipWaiting(event.data)) void self.skipWaiting();
});

function isSkipWaiting(data: unknown): boolean {
	return typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING';
}
