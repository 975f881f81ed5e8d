import { describe, expect, it } from 'vitest';
import { BEGIN, END, replaceGenerated } from './report';
import { SMALL } from './scenario';

const at = new Date('2026-12-07T08:00:00Z');
const result = (scenario: string, value: string) => ({ scenario, rows: [{ metric: 'm', value, target: 't', ok: true }], failures: [] });

describe('replaceGenerated', () => {
	it('appends the markers when the document has none', () => {
		const out = replaceGenerated('# Drills\n', [result('1. Morning rush', 'v1')], SMALL, at);
		expect(out).toContain(BEGIN);
		expect(out).toContain('### 1. Morning rush — small scale, run 2026-12-07 08:00 UTC');
		expect(out.trimEnd().endsWith(END)).toBe(true);
	});

	it('replaces only the scenarios run now, keeps the others, in order, and leaves the text outside alone', () => {
		const first = replaceGenerated(
			'# Drills\n\nbefore\n',
			[result('2. Day-long outage', 'old2'), result('1. Morning rush', 'old1')],
			SMALL,
			at
		);
		const doc = first + '\nafter\n';
		const out = replaceGenerated(doc, [result('1. Morning rush', 'new1')], SMALL, at);
		expect(out).toContain('new1');
		expect(out).not.toContain('old1');
		expect(out).toContain('old2');
		expect(out.indexOf('### 1.')).toBeLessThan(out.indexOf('### 2.'));
		expect(out.startsWith('# Drills\n\nbefore\n')).toBe(true);
		expect(out.trimEnd().endsWith('after')).toBe(true);
	});
});
