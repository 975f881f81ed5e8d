import type { Scenario } from '../scenario.js';
export const killedServers: Scenario = async () => ({ scenario: 'x', rows: [], failures: ['not built'] });
