/**
 * npm run bench — prints markdown and writes bench/out/latest.md. Sections: core (this issue).
 * Copy the tables into docs/benchmarks.md when they change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { coreBench } from './core.js';

const started = new Date();
const sections = [await coreBench()];
const header = `# Benchmark run ${started.toISOString()}\n\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.\n`;
const report = [header, ...sections].join('\n');
process.stdout.write(report + '\n');
const out = join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.md'), report + '\n');
