// Runs a TypeScript module as a worker thread (node:worker_threads): tsx compiles it on the fly, as
// bin/tongxing.js does for the CLI. The module's file URL is the worker's first argument (argv).
import { register } from 'tsx/esm/api';

register();
const module = process.argv[2];
if (module === undefined) throw new Error('usage: new Worker("bin/ts-worker.js", { argv: [moduleFileUrl] })');
await import(module);
