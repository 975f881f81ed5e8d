/** The authority console's strings (with the proposals'): imported by src/routes/console/+layout.svelte, nowhere else. */
import { addStrings } from '$lib/i18n/i18n.svelte';
import { consoleStrings } from '$lib/i18n/locales/console';
import { proposals } from '$lib/i18n/locales/proposals';

addStrings('console', consoleStrings);
addStrings('proposals', proposals);
