/**
 * A small Markdown reader for the console's help pages (the rules reference, docs/rules.md, served by the app):
 * headings, paragraphs, bullet and numbered lists, fenced code, tables, and inline code, bold, emphasis and links.
 * It returns plain data that the page renders as elements — never HTML strings, so nothing in a document can
 * inject markup. Only http(s) links and in-page anchors become links; a link to another repository file is text.
 */
export type Inline =
	| { type: 'text'; text: string }
	| { type: 'code'; text: string }
	| { type: 'strong'; text: string }
	| { type: 'em'; text: string }
	| { type: 'link'; text: string; href: string };

export type Block =
	| { type: 'heading'; level: number; id: string; inline: Inline[] }
	| { type: 'paragraph'; inline: Inline[] }
	| { type: 'list'; ordered: boolean; items: Inline[][] }
	| { type: 'code'; text: string }
	| { type: 'table'; head: Inline[][]; rows: Inline[][][] };

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\[[^\]]+\]\([^)\s]+\))|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)/g;

export function inline(text: string): Inline[] {
	const out: Inline[] = [];
	let last = 0;
	for (const m of text.matchAll(INLINE)) {
		if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
		const s = m[0];
		if (m[1]) out.push({ type: 'code', text: s.slice(1, -1) });
		else if (m[2]) out.push({ type: 'strong', text: s.slice(2, -2) });
		else if (m[3]) {
			const [, label = '', href = ''] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(s) ?? [];
			out.push(/^(https?:\/\/|#)/.test(href) ? { type: 'link', text: label, href } : { type: 'text', text: label });
		} else out.push({ type: 'em', text: s.slice(1, -1) });
		last = m.index + s.length;
	}
	if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
	return out;
}

/** GitHub-style heading ids: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.trim()
		.replace(/\s+/g, '-');
}

const cells = (line: string) =>
	line
		.trim()
		.replace(/^\|/, '')
		.replace(/\|$/, '')
		.split('|')
		.map((c) => inline(c.trim()));

const LIST_ITEM = /^(\s*)([-*]|\d+\.)\s+(.*)$/;

export function parseMarkdown(md: string): Block[] {
	const lines = md.replace(/\r\n?/g, '\n').split('\n');
	const out: Block[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i]!;
		if (!line.trim()) {
			i++;
			continue;
		}
		if (line.startsWith('```')) {
			const body: string[] = [];
			i++;
			while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
			i++;
			out.push({ type: 'code', text: body.join('\n') });
			continue;
		}
		const h = /^(#{1,6})\s+(.*)$/.exec(line);
		if (h) {
			out.push({ type: 'heading', level: h[1]!.length, id: slug(h[2]!), inline: inline(h[2]!) });
			i++;
			continue;
		}
		if (line.trim().startsWith('|') && /^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').includes('-')) {
			const head = cells(line);
			i += 2;
			const rows: Inline[][][] = [];
			while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(cells(lines[i++]!));
			out.push({ type: 'table', head, rows });
			continue;
		}
		const li = LIST_ITEM.exec(line);
		if (li) {
			const ordered = /\d/.test(li[2]!);
			const items: string[] = [];
			while (i < lines.length && lines[i]!.trim()) {
				const m = LIST_ITEM.exec(lines[i]!);
				if (m && m[1]!.length < 2) items.push(m[3]!);
				else if (items.length) items[items.length - 1] += ` ${lines[i]!.trim()}`;
				i++;
			}
			out.push({ type: 'list', ordered, items: items.map(inline) });
			continue;
		}
		const para: string[] = [];
		while (i < lines.length && lines[i]!.trim() && !/^(#{1,6}\s|```|\s*\|)/.test(lines[i]!) && !LIST_ITEM.exec(lines[i]!))
			para.push(lines[i++]!.trim());
		out.push({ type: 'paragraph', inline: inline(para.join(' ')) });
	}
	return out;
}
