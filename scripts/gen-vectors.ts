/**
 * Writes test-vectors/*.json from fixed seeds (scripts/vectors/). Run: npm run gen:vectors.
 * Deterministic: running it again must not change a byte (vectors.test.ts checks this).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildVectors } from './vectors/build-vectors.js';

const dir = join(import.meta.dirname, '..', 'test-vectors');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.json')) rmSync(join(dir, f));
const vectors = await buildVectors();
for (const [name, v] of vectors) writeFileSync(join(dir, `${name}.json`), JSON.stringify(v, null, '\t') + '\n');
process.stdout.write(`wrote ${vectors.size} vectors to ${dir}\n`);

// federation fact batches (docs/federation.md §Facts): test-vectors/federation/facts.json
const { buildFactVectors } = await import('./vectors/fact-vectors.js');
mkdirSync(join(dir, 'federation'), { recursive: true });
writeFileSync(join(dir, 'federation', 'facts.json'), JSON.stringify(await buildFactVectors(), null, '\t') + '\n');
process.stdout.write(`wrote test-vectors/federation/facts.json\n`);
