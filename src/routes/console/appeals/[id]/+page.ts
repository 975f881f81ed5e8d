// One appeal by id: not prerendered (ids are made at run time); the page fetches it in the browser.
export const prerender = false;
