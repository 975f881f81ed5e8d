// Every page is a static shell, prerendered and precached by the service worker;
// data comes from IndexedDB and /api/* at runtime.
export const prerender = true;
