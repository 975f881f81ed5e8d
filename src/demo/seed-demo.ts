/**
 * The demo's first-start seed: the demo identities in the household register and phone registry, the four demo
 * venues and the demo console account, all idempotent. The server does not import src/demo: the edges that
 * start it in demo mode (src/hooks.server.ts, the CLI's main.ts) hand this to app.ts's setFirstStartHook.
 */
import type { FirstStartHook } from '../lib/server/app.js';
import { seedDemoRegister } from './seed-register.js';
import { seedDemoStaff } from './seed-staff.js';
import { seedDemoVenues } from './seed-venues.js';

export const seedDemo: FirstStartHook = async (db, hmacKey, nowMs) => {
	await seedDemoRegister(db, hmacKey, nowMs);
	await seedDemoVenues(db, nowMs);
	await seedDemoStaff(db, nowMs);
};
