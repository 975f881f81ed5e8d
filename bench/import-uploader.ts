/**
 * The uploader of bench/imports.ts, run as its own process at low CPU priority: streams rows [from, to) of generated
 * trajectory points as one console upload (POST /api/v1/console/imports, chunked CSV) and prints the answer as JSON
 * `{status, body}` on stdout. Usage: node bin/run-ts.js bench/import-uploader.ts '{"port","origin","cookie","from","to"}'.
 */
import http from 'node:http';

const PHONES = 20_000;
const HEADER = 'phone,at,lat,lon,accuracyM\n';

function* csvChunks(from: number, to: number, nowMs: number): Generator<Buffer> {
	yield Buffer.from(HEADER);
	const base = nowMs - 3 * 86_400_000;
	let lines: string[] = [];
	for (let i = from; i < to; i++) {
		const phone = `139${String(10_000_000 + (i % PHONES)).slice(-8)}`;
		const at = new Date(base + i * 200).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const lat = (22.5 + (i % 997) / 10_000).toFixed(4);
		const lon = (114.0 + (i % 991) / 10_000).toFixed(4);
		lines.push(`${phone},${at},${lat},${lon},50\n`);
		if (lines.length === 250) {
			yield Buffer.from(lines.join(''));
			lines = [];
		}
	}
	if (lines.length) yield Buffer.from(lines.join(''));
}

/** One streamed upload; resolves with the server's answer (status + JSON). */
function upload(port: number, origin: string, cookie: string, chunks: Generator<Buffer>): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				method: 'POST',
				path: '/api/v1/console/imports?source=carrier&kind=trajectory&reasonCode=data-correction',
				headers: { 'content-type': 'text/csv', origin, cookie, 'transfer-encoding': 'chunked' }
			},
			(res) => {
				const parts: Buffer[] = [];
				res.on('data', (c: Buffer) => parts.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		// one chunk per turn of the event loop; the socket's backpressure paces the rest
		const pump = () => {
			const next = chunks.next();
			if (next.done) return void req.end();
			if (!req.write(next.value)) req.once('drain', () => setImmediate(pump));
			else setImmediate(pump);
		};
		pump();
	});
}

const args = JSON.parse(process.argv[2] ?? '{}') as { port: number; origin: string; cookie: string; from: number; to: number };
const answer = await upload(args.port, args.origin, args.cookie, csvChunks(args.from, args.to, Date.now()));
process.stdout.write(JSON.stringify(answer));
