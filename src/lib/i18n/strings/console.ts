/**
 * The authority console's strings, with the proposals' and the resident app's (the console shows colours and
 * reasons with the resident app's components and words): imported by src/routes/console/+layout.svelte only.
 */
import { addStrings } from '$lib/i18n/i18n.svelte';
import { consoleStrings } from '$lib/i18n/locales/console';
import { consoleFederation } from '$lib/i18n/locales/console-federation';
import { proposals } from '$lib/i18n/locales/proposals';
import { resident } from '$lib/i18n/locales/resident';

addStrings('console', consoleStrings);
addStrings('console-federation', consoleFederation);
addStrings('proposals', proposals);
addStrings('resident', resident);
