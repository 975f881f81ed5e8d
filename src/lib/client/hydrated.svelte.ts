/**
 * Whether this page's JavaScript has taken over. The apps' pages are prerendered, so a form is on screen before
 * its submit handler is attached; a tap on a slow phone before then would submit the form natively — a GET that
 * puts the phone number, ID number or password in the URL (and the server's and proxies' logs), and reloads the
 * page with the field empty. Submit buttons stay disabled until `ready` (implicit submission with Enter is off
 * too while the default button is disabled), and the forms say method="post" as a second line.
 * Call during a component's initialisation.
 */
import { onMount } from 'svelte';

export function hydrated(): { readonly ready: boolean } {
	let ready = $state(false);
	onMount(() => {
		ready = true;
	});
	return {
		get ready() {
			return ready;
		}
	};
}
