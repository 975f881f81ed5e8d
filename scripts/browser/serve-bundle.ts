/**
 * Bundles a browser entry with Vite (library mode, IIFE) and serves it with a blank page on 127.0.0.1, a
 * secure context, so WebCrypto is available. Returns the URL and a close function.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build, type Rollup } from 'vite';

export async function serveBundle(entry: string): Promise<{ url: string; close: () => Promise<void> }> {
	const result = (await build({
		configFile: false,
		logLevel: 'silent',
		build: {
			write: false,
			minify: process.env.BENCH_NO_MINIFY ? false : true,
			lib: { entry, formats: ['iife'], name: 'benchEntry', fileName: () => 'bundle.js' }
		}
	})) as Rollup.RollupOutput[] | Rollup.RollupOutput;
	const output = Array.isArray(result) ? result[0]!.output : result.output;
	const chunk = output.find((o): o is Rollup.OutputChunk => o.type === 'chunk');
	if (!chunk) throw new Error('bundle produced no chunk');
	const js = chunk.code;
	const server = createServer((req, res) => {
		if (req.url === '/bundle.js') {
			res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
		} else {
			res
				.writeHead(200, { 'content-type': 'text/html' })
				.end('<!doctype html><meta charset="utf-8"><title>bench</title><script src="/bundle.js"></script>');
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}
