import { describe, expect, it } from 'vitest';
import { inline, parseMarkdown } from './markdown';

describe('parseMarkdown (the console help pages)', () => {
	it('reads headings, paragraphs, lists, code and tables', () => {
		const md = [
			'# Colour rules',
			'',
			'The colour is decided',
			'by **facts**.',
			'',
			'- one `a`',
			'  continued',
			'- two',
			'',
			'```ts',
			'const x = 1;',
			'```',
			'',
			'| rule | hold |',
			'|---|---|',
			'| close-contact | 7 |'
		].join('\n');
		expect(parseMarkdown(md)).toEqual([
			{ type: 'heading', level: 1, id: 'colour-rules', inline: [{ type: 'text', text: 'Colour rules' }] },
			{
				type: 'paragraph',
				inline: [
					{ type: 'text', text: 'The colour is decided by ' },
					{ type: 'strong', text: 'facts' },
					{ type: 'text', text: '.' }
				]
			},
			{
				type: 'list',
				ordered: false,
				items: [
					[
						{ type: 'text', text: 'one ' },
						{ type: 'code', text: 'a' },
						{ type: 'text', text: ' continued' }
					],
					[{ type: 'text', text: 'two' }]
				]
			},
			{ type: 'code', text: 'const x = 1;' },
			{
				type: 'table',
				head: [[{ type: 'text', text: 'rule' }], [{ type: 'text', text: 'hold' }]],
				rows: [[[{ type: 'text', text: 'close-contact' }], [{ type: 'text', text: '7' }]]]
			}
		]);
	});

	it('links only to the web and in-page anchors; markup stays text', () => {
		expect(inline('[a](https://x.example) [b](data-sources.md) [c](#grid) <script>')).toEqual([
			{ type: 'link', text: 'a', href: 'https://x.example' },
			{ type: 'text', text: ' ' },
			{ type: 'text', text: 'b' },
			{ type: 'text', text: ' ' },
			{ type: 'link', text: 'c', href: '#grid' },
			{ type: 'text', text: ' <script>' }
		]);
	});
});
