/**
 * The authority console's strings, with the proposals' and the resident app's (the console shows colours and
 * reasons with the resident app's components and words): imported by src/routes/console/+layout.svelte only.
 */
import { addStrings } from '$lib/i18n/i18n.svelte';
import { consoleStrings } from '$lib/i18n/locales/console';
import { consoleTracing } from '$lib/i18n/locales/console-tracing';
import { consoleAppeals } from '$lib/i18n/locales/console-appeals';
import { consoleOverview } from '$lib/i18n/locales/console-overview';
import { consoleMap } from '$lib/i18n/locales/console-map';
import { consoleFederation } from '$lib/i18n/locales/console-federation';
import { proposals } from '$lib/i18n/locales/proposals';
import { people } from '$lib/i18n/locales/console-people';
import { resident } from '$lib/i18n/locales/resident';

addStrings('console', consoleStrings);
addStrings('tracing', consoleTracing);
addStrings('appeals', consoleAppeals);
addStrings('overview', consoleOverview);
addStrings('console-map', consoleMap);
addStrings('console-federation', consoleFederation);
addStrings('proposals', proposals);
addStrings('people', people);
addStrings('resident', resident);
