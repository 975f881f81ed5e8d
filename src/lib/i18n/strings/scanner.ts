/** The guard's scanner's strings: imported by src/routes/scan/+layout.svelte, nowhere else. */
import { addStrings } from '$lib/i18n/i18n.svelte';
import { scanner } from '$lib/i18n/locales/scanner';

addStrings('scanner', scanner);
