/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The service worker: precache the app shell of this build so every page opens with no network.
// Kit bundles this file (kit.files.serviceWorker) and emits /service-worker.js; the page registers
// it with workbox-window and shows an update prompt while a new version is waiting.
import { build, files, prerendered, version } from '$service-worker';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { clientsClaim } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope;

// build: hashed files under /_app/immutable, so the URL is the revision.
// files (static/) and prerendered pages keep their URL across builds: revise them by build version.
precacheAndRoute([
	...build.map((url) => ({ url, revision: null })),
	...files.map((url) => ({ url, revision: version })),
	...prerendered.map((url) => ({ url, revision: version }))
]);
cleanupOutdatedCaches();

// A first install takes control at once; an update waits until the user accepts it
// (workbox-window's messageSkipWaiting() posts { type: 'SKIP_WAITING' }).
clientsClaim();
self.addEventListener('message', (event: ExtendableMessageEvent) => {
	if (isSkipWaiting(event.data)) void self.skipWaiting();
});

function isSkipWaiting(data: unknown): boolean {
	return typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING';
}
