#!/usr/bin/env node
// The `tongxing` CLI. The sources are TypeScript; tsx compiles them on the fly (Node 20 has no type stripping).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
