import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// kit.files.serviceWorker points at the top-level service-worker/ folder; `vite dev` serves it
	// via /@fs/..., which Vite refuses (403) unless the folder is allowed.
	server: { fs: { allow: ['service-worker'] } },
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bin/**/*.test.ts'],
		environment: 'node'
	}
});
