import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// The service worker lives in the top-level folder service-worker/ (index.ts), with its own
		// webworker tsconfig. Kit still bundles it and emits /service-worker.js.
		files: { serviceWorker: 'service-worker' },
		// Registered by src/routes/+layout.svelte through workbox-window (update prompt).
		serviceWorker: { register: false },
		// The version must be identical every time this file is evaluated during ONE build (kit
		// evaluates it in several processes), so never derive it from the clock here. Without
		// APP_VERSION (e.g. a git sha from CI) kit's default per-build timestamp is used.
		...(process.env.APP_VERSION ? { version: { name: process.env.APP_VERSION } } : {}),
		// Our hook (src/lib/server/http/same-origin.ts) refuses every cross-site mutation that carries a cookie,
		// JSON included, comparing hosts; kit's check covers forms only and compares with a guessed origin.
		csrf: { trustedOrigins: ['*'] },
		// TypeScript's globs skip dot-folders: include /.well-known routes explicitly.
		typescript: {
			config: (tsconfig) => {
				// eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- kit types the generated tsconfig as Record<string, any>
				tsconfig.include.push('../src/routes/.well-known/**/*.ts');
				return tsconfig;
			}
		},
		// Content-Security-Policy for the pages: prerendered, so kit writes it as a <meta> with the hashes of its own
		// inline scripts. Styles stay 'unsafe-inline' (Svelte's style attributes and transitions); nothing is loaded
		// from another origin. What a <meta> cannot say (frame-ancestors) is a header: scripts/security-headers.js.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				// kept in the header of server-rendered answers (error pages); a <meta> ignores it, hence the header too
				'frame-ancestors': ['none']
			}
		},
		// Every page is a static shell; data comes from IndexedDB and /api/* at runtime.
		prerender: { entries: ['*'] }
	}
};

export default config;
