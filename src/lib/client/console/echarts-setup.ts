/**
 * Apache ECharts for the console overview, tree-shaken: only the charts and components the overview draws, on the
 * canvas renderer. Loaded by Chart.svelte with a dynamic import inside onMount, so it is a chunk of its own that
 * only console pages fetch (the resident app never loads it).
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type Chart = EChartsType;

export function createChart(el: HTMLElement, locale: string): Chart {
	return init(el, null, { renderer: 'canvas', locale: locale === 'en' ? 'EN' : 'ZH' });
}
