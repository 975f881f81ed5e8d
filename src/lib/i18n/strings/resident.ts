/** The resident app's strings: imported by src/routes/app/+layout.svelte (and the landing page), nowhere else. */
import { addStrings } from '$lib/i18n/i18n.svelte';
import { resident } from '$lib/i18n/locales/resident';

addStrings('resident', resident);
