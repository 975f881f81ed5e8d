// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	/** package.json's version, defined at build time by vite.config.ts (the footer's human version). */
	const __APP_SEMVER__: string;
	namespace App {
		/** What SvelteKit's own errors (unknown route, unhandled throw) carry: a code from src/lib/core/contract/errors.ts. */
		interface Error {
			message: string;
			code?: 'not-found' | 'internal' | 'request/malformed-path';
		}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
