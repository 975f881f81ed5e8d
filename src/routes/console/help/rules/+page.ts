// The rules reference as the app serves it (issue 15: the help a console page links to is the app's, not a
// repository file): docs/rules.md, read at build time into this page's own chunk only.
import { parseMarkdown } from '$lib/client/console/markdown';
import type { PageLoad } from './$types';

const docs = import.meta.glob<string>('/docs/rules.md', { query: '?raw', import: 'default', eager: true });

export const load: PageLoad = () => ({ blocks: parseMarkdown(docs['/docs/rules.md'] ?? '') });
