// After `vite build` (npm's postbuild): adapter-node's build/index.js becomes build/adapter-entry.js, and a new
// build/index.js starts it and installs the security headers and the draining of unread request bodies on its HTTP
// server (scripts/security-headers.js, scripts/unread-bodies.js, copied next to it so build/ stays self-contained). `node build` keeps working as before. Idempotent.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = path.join(root, 'build');
const entry = path.join(build, 'index.js');
const MARKER = '// tongxing: wrapped server entry';

if (!existsSync(entry)) {
	console.error('wrap-server-entry: build/index.js is missing; run vite build first');
	process.exit(1);
}
if (!readFileSync(entry, 'utf8').startsWith(MARKER)) {
	renameSync(entry, path.join(build, 'adapter-entry.js'));
	for (const file of ['security-headers.js', 'unread-bodies.js']) copyFileSync(path.join(root, 'scripts', file), path.join(build, file));
	writeFileSync(
		entry,
		`${MARKER} (scripts/wrap-server-entry.js)
import { server } from './adapter-entry.js';
import { addSecurityHeaders } from './security-headers.js';
import { drainUnreadBodies } from './unread-bodies.js';

// adapter-node's polka keeps the node:http server as \`server.server\`; no request has been handled yet (this
// runs in the same turn as listen()), so every response carries the headers, and every request body a handler
// answered without reading is drained (scripts/unread-bodies.js).
addSecurityHeaders(server.server);
drainUnreadBodies(server.server);
export * from './adapter-entry.js';
`
	);
}
