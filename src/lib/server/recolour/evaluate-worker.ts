/**
 * A worker thread of evaluate-pool.ts: builds the world index once from the run's rules and world facts
 * (workerData), then unpacks and evaluates batches of residents' facts. Only pure core code runs here: no
 * database, no keys; the main thread loads and writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorldFacts } from '../../core/rules/facts.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { engineFor } from './engine-for.js';
import { unpackFacts, type PackedFacts } from './packed-facts.js';
import { evaluateFacts, type BatchRequest, type WorkerReply } from './evaluate-batch.js';

const { rules, world } = workerData as { rules: RuleSet; world: WorldFacts };
const engine = engineFor(rules, world);
const port = parentPort!;

port.on('message', (req: BatchRequest) => {
	let reply: WorkerReply;
	try {
		reply = { id: req.id, results: req.batch.map((p: PackedFacts) => evaluateFacts(engine, unpackFacts(p), req.nowSec)) };
	} catch (e) {
		reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
	}
	port.postMessage(reply);
});
port.postMessage({ ready: true });
