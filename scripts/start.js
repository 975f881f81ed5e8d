// `npm start`: build the app if there is no build yet, prepare DATA_DIR, then run the
// adapter-node server (build/index.js) in this process. Honours adapter-node's environment
// (HOST, default 0.0.0.0; PORT, default 3000; ORIGIN, ...) and DATA_DIR (default ./data).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = path.join(root, 'build', 'index.js');

/** Builds the app once (`vite build`) when build/ is missing. */
function ensureBuild() {
	if (existsSync(server)) return;
	console.log('No build/ yet: running vite build…');
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
	// what `npm run build` does after vite (postbuild): the entry that adds the security headers
	const wrap = spawnSync(process.execPath, [path.join(root, 'scripts', 'wrap-server-entry.js')], { cwd: root, stdio: 'inherit' });
	if (wrap.status !== 0) process.exit(wrap.status ?? 1);
}

/**
 * Creates DATA_DIR and exports it as an absolute path, so the server sees the same folder whatever its cwd.
 * The hook where first-start initialisation of DATA_DIR belongs (e.g. signing keys).
 * @returns {string} the absolute DATA_DIR
 */
function prepareDataDir() {
	const dataDir = path.resolve(root, process.env.DATA_DIR ?? 'data');
	mkdirSync(dataDir, { recursive: true });
	process.env.DATA_DIR = dataDir;
	// First start: a root key, a regional issuer key, the signed trust list and an empty status list.
	const cli = path.join(root, 'bin', 'tongxing.js');
	const keys = spawnSync(process.execPath, [cli, 'keys', 'init', '--if-missing'], { cwd: root, stdio: 'inherit' });
	if (keys.status !== 0) process.exit(keys.status ?? 1);
	return dataDir;
}

ensureBuild();
const dataDir = prepareDataDir();
const host = process.env.HOST ?? '0.0.0.0';
const port = process.env.PORT ?? '3000';
const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
console.log(`Tongxing (通行): http://${shownHost}:${port}  (DATA_DIR ${dataDir}${process.env.DATABASE_URL ? ', PostgreSQL' : ''})`);
if ((process.env.TONGXING_MODE ?? 'demo') === 'demo') {
	// First start in demo mode: the synthetic demo city (10 000 residents; `tongxing seed`), which prints one
	// identity per colour. --if-empty: later starts leave the data alone.
	const seed = spawnSync(process.execPath, [path.join(root, 'bin', 'tongxing.js'), 'seed', '--if-empty'], { cwd: root, stdio: 'inherit' });
	if (seed.status !== 0) process.exit(seed.status ?? 1);
	spawnSync(process.execPath, [path.join(root, 'bin', 'tongxing.js'), 'demo'], { cwd: root, stdio: 'inherit' });
}
// The console's file upload streams up to 64 MB (src/lib/server/sources/console-import.ts); adapter-node's
// default request body limit is 512 kB.
process.env.BODY_SIZE_LIMIT ??= String(64 * 1024 * 1024);
await import(pathToFileURL(server).href);
