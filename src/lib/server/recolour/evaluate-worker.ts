/**
 * A worker thread of evaluate-pool.ts: builds the world index once from the run's rules and world facts
 * (workerData), then unpacks and evaluates batches of residents' facts — or, for a rules preview (workerData
 * with `newRules`), counts the colour transitions of each batch under the active and the proposed rules (core
 * diffColours). Only pure core code runs here: no database, no keys; the main thread loads and writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { diffColours } from '../../core/rules/diff.js';
import type { WorldFacts } from '../../core/rules/facts.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { buildWorldIndex, indexFits } from '../../core/rules/spatial-index.js';
import { engineFor } from './engine-for.js';
import { unpackFacts } from '../../core/rules/packed-facts.js';
import { evaluateFacts, type BatchRequest, type WorkerReply } from './evaluate-batch.js';

const { rules, newRules, world } = workerData as { rules: RuleSet; newRules?: RuleSet; world: WorldFacts };
const engine = engineFor(rules, world);
const newIndex = newRules && (indexFits(engine.index, newRules) ? engine.index : buildWorldIndex(world, newRules));
const port = parentPort!;

port.on('message', (req: BatchRequest) => {
	let reply: WorkerReply;
	try {
		const people = req.batch.map(unpackFacts);
		reply = newRules
			? {
					id: req.id,
					diff: diffColours(rules, newRules, people, world, req.nowSec, {
						oldIndex: engine.index,
						newIndex,
						sampleSize: req.sampleSize ?? 0
					})
				}
			: { id: req.id, results: people.map((p) => evaluateFacts(engine, p, req.nowSec)) };
	} catch (e) {
		reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
	}
	port.postMessage(reply);
});
port.postMessage({ ready: true });
