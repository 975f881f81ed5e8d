/**
 * A child process for the "SIGKILL during a scan batch" test (scans/sigkill-ingest.test.ts): opens the database
 * named by argv[2] (JSON OpenOptions), runs ingestScans() for the batch in the JSON file argv[3], and — once the
 * batch's rows have been inserted and the watermark raised inside the still-open transaction — prints `in-flight` and waits forever, so the
 * test can SIGKILL it with the transaction neither committed nor rolled back.
 */
import { readFileSync } from 'node:fs';
import { ingestScans } from '../server/scans/ingest.js';
import { openDatabase, type OpenOptions } from '../server/store/open.js';
import type { Db } from '../server/store/db.js';
import type { ScanEvent } from '../core/scan-log.js';

const options = JSON.parse(process.argv[2]!) as OpenOptions;
const { device, events } = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as {
	device: { id: string; venue_id: string };
	events: ScanEvent[];
};
const opened = await openDatabase(options);

type Plugin = Parameters<Db['withPlugin']>[0];
// The batch's INSERT is a raw statement (store/scans.ts), which plugins do not see; the watermark UPDATE of
// guard_devices comes after it in the same transaction (ingest.ts step 5): stall once that has run.
const watermarks = new WeakSet<object>();
const plugin: Plugin = {
	transformQuery(args) {
		const n = args.node as { kind?: string; table?: { table?: { identifier?: { name?: string } } } };
		if (n.kind === 'UpdateQueryNode' && n.table?.table?.identifier?.name === 'guard_devices') watermarks.add(args.queryId);
		return args.node;
	},
	async transformResult(args) {
		if (watermarks.has(args.queryId)) {
			process.stdout.write('in-flight\n');
			await new Promise(() => undefined); // the transaction stays open until the process is killed
		}
		return args.result;
	}
};
await ingestScans(opened.db.withPlugin(plugin), device, events, Date.now());
process.stdout.write('committed\n'); // never reached: the test kills the process first
