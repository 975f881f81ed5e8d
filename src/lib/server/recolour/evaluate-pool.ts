/**
 * Worker threads for the evaluation half of a recolour run. Evaluating a resident is pure CPU (trajectory
 * matching against the world index: most of a run's time at city scale), so a run over thousands of residents
 * spreads it over the machine's cores: the main thread loads facts from storage and writes the changes, the
 * workers unpack and evaluate (evaluate-worker.ts). Each worker builds the same world index from the run's
 * rules and world facts; results are the same as in-process (recolour.test.ts checks it).
 *
 * Workers run the TypeScript sources through tsx (bin/ts-worker.js), as the CLI does, in development, tests
 * and the built server alike: the built server finds the project folder from its own location.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ColourDiff } from '../../core/rules/diff.js';
import type { WorldFacts } from '../../core/rules/facts.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import type { BatchRequest, Evaluated, WorkerReply } from './evaluate-batch.js';
import type { PackedFacts } from '../../core/rules/packed-facts.js';

/** Below this many residents a run evaluates in-process: starting workers (≈ 1 s: tsx compiles the rules) costs more. */
export const POOL_MIN_RESIDENTS = 2_000;

/** Worker threads for a run: TONGXING_WORKERS if set (0 = none), else one per core when there are at least two. */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
	const set = env.TONGXING_WORKERS;
	if (set !== undefined && set !== '') {
		const n = Number(set);
		return Number.isInteger(n) && n >= 0 ? Math.min(n, 64) : 0;
	}
	const cores = availableParallelism();
	return cores >= 2 ? cores : 0;
}

/** The project folder (the one holding bin/ts-worker.js), from this module's location in src/ or build/. */
function projectRoot(): string | null {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (;;) {
		if (existsSync(join(dir, 'bin', 'ts-worker.js')) && existsSync(join(dir, 'src', 'lib', 'server', 'recolour', 'evaluate-worker.ts')))
			return dir;
		const up = dirname(dir);
		if (up === dir) return null;
		dir = up;
	}
}

interface Pending {
	resolve(r: Evaluated[] | ColourDiff): void;
	reject(e: Error): void;
}

interface Slot {
	readonly worker: Worker;
	readonly pending: Map<number, Pending>;
}

export class EvaluatePool {
	#nextId = 0;
	#failed: Error | null = null;

	private constructor(private readonly slots: Slot[]) {}

	/**
	 * Starts `size` workers for the run's rules and world; null when workers are unavailable here or fail to
	 * start (then evaluate in-process). With `newRules`, a preview pool: diff() counts transitions from `rules`
	 * to `newRules`.
	 */
	static async start(rules: RuleSet, world: WorldFacts, size: number, newRules?: RuleSet): Promise<EvaluatePool | null> {
		const root = size > 0 ? projectRoot() : null;
		if (!root) return null;
		const module = pathToFileURL(join(root, 'src', 'lib', 'server', 'recolour', 'evaluate-worker.ts')).href;
		const slots: Slot[] = [];
		const ready: Promise<void>[] = [];
		for (let i = 0; i < size; i++) {
			const worker = new Worker(join(root, 'bin', 'ts-worker.js'), {
				argv: [module],
				workerData: { rules, world, ...(newRules ? { newRules } : {}) }
			});
			const slot: Slot = { worker, pending: new Map() };
			slots.push(slot);
			ready.push(
				new Promise<void>((resolve, reject) => {
					worker.once('message', () => resolve());
					worker.once('error', reject);
					worker.once('exit', (code) => reject(new Error(`an evaluation worker exited while starting (code ${code})`)));
				})
			);
		}
		const pool = new EvaluatePool(slots);
		try {
			await Promise.all(ready);
		} catch (e) {
			// the run still happens, in the main thread; the operator sees why in the server's log
			await pool.close();
			process.emitWarning(
				`evaluation workers did not start (${e instanceof Error ? e.message : String(e)}); evaluating in the main thread`
			);
			return null;
		}
		for (const slot of slots) pool.#listen(slot);
		return pool;
	}

	get size(): number {
		return this.slots.length;
	}

	#listen(slot: Slot): void {
		slot.worker.on('message', (reply: WorkerReply) => {
			if ('ready' in reply) return;
			const p = slot.pending.get(reply.id);
			if (!p) return;
			slot.pending.delete(reply.id);
			if ('error' in reply) p.reject(new Error(`evaluation failed in a worker: ${reply.error}`));
			else p.resolve('diff' in reply ? reply.diff : reply.results);
		});
		const fail = (e: Error) => {
			this.#failed ??= e;
			for (const p of slot.pending.values()) p.reject(e);
			slot.pending.clear();
		};
		slot.worker.on('error', fail);
		slot.worker.on('exit', (code) => {
			if (slot.pending.size) fail(new Error(`an evaluation worker exited (code ${code})`));
		});
	}

	/** Evaluates a batch on the least busy worker. */
	run(batch: readonly PackedFacts[], nowSec: number): Promise<Evaluated[]> {
		return this.#send({ id: this.#nextId++, nowSec, batch }) as Promise<Evaluated[]>;
	}

	/** A preview pool's transitions for a batch (core diffColours), naming at most `sampleSize` changed refs. */
	diff(batch: readonly PackedFacts[], nowSec: number, sampleSize: number): Promise<ColourDiff> {
		return this.#send({ id: this.#nextId++, nowSec, batch, sampleSize }) as Promise<ColourDiff>;
	}

	#send(req: BatchRequest): Promise<Evaluated[] | ColourDiff> {
		if (this.#failed) return Promise.reject(this.#failed);
		const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
		return new Promise((resolve, reject) => {
			slot.pending.set(req.id, { resolve, reject });
			slot.worker.postMessage(req);
		});
	}

	async close(): Promise<void> {
		await Promise.all(this.slots.map((s) => s.worker.terminate()));
	}
}
