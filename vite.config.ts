import { sveltekit } from '@sveltejs/kit/vite';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The release people read in the footer (src/lib/client/app-version.ts); kit's own version stays the build id.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
	plugins: [sveltekit()],
	define: { __APP_SEMVER__: JSON.stringify(version) },
	// kit.files.serviceWorker points at the top-level service-worker/ folder; `vite dev` serves it
	// via /@fs/..., which Vite refuses (403) unless the folder is allowed.
	server: { fs: { allow: ['service-worker'] } },
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bin/**/*.test.ts'],
		environment: 'node'
	}
});
