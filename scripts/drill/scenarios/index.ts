/**
 * The drill's scenarios, in the order `npm run drill` runs them (DRILL_ONLY=1,3 selects by id). Each is a
 * function of the scale (scenario.ts).
 */
import type { Scenario } from '../scenario.js';
import { morningRush } from './morning-rush.js';
import { dayLongOutage } from './day-long-outage.js';
import { killedServers } from './killed-servers.js';
import { run as backupRestore } from './backup-restore.js';
import { run as diskFull } from './disk-full.js';

export const SCENARIOS: readonly { id: number; run: Scenario }[] = [
	{ id: 1, run: morningRush },
	{ id: 2, run: dayLongOutage },
	{ id: 3, run: killedServers },
	{ id: 4, run: backupRestore },
	{ id: 5, run: diskFull }
];
