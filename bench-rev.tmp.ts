import { revocationLatency } from './bench/federation-revocation.ts';
const r = await revocationLatency(Number(process.env.N ?? 6));
console.log(JSON.stringify(r));
