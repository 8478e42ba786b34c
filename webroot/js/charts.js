// Small SVG charts drawn to the width of their container: lines over time and (stacked) bars.
// Each chart is a <figure> with a text alternative and an HTML legend; colours come from CSS.

import { h, mount } from './dom.js';

const PAD = { left: 48, right: 10, top: 10, bottom: 24 };
const s = (tag, attrs, ...children) => h(tag, { ...attrs, svg: true }, ...children);

function niceMax(value) {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * step).find((m) => m >= value);
}

function frame(container, height, yMax, yFormat, label) {
  const width = Math.max(240, Math.floor(container.clientWidth || 600));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'chart' });
  const plotH = height - PAD.top - PAD.bottom;
  const y = (v) => PAD.top + plotH - (plotH * v) / yMax;
  for (const f of [0, 0.5, 1]) {
    svg.append(s('line', { x1: PAD.left, x2: width - PAD.right, y1: y(f * yMax), y2: y(f * yMax), class: 'grid' }),
      s('text', { x: PAD.left - 6, y: y(f * yMax) + 4, 'text-anchor': 'end', class: 'tick' }, yFormat(f * yMax)));
  }
  return { svg, width, y, plotW: width - PAD.left - PAD.right };
}

function legend(series) {
  return series.length < 2 ? null : h('ul', { class: 'legend' },
    series.map((one, i) => h('li', {}, h('span', { class: `swatch c${i % 6}` }), one.name)));
}

/**
 * Lines over time. series: [{name, points: [{x: ms, y}]}]; options: yMax (else from the data),
 * yFormat, xFormat, height, label (the text alternative), emptyText (fewer than two points).
 */
export function lineChart(container, { series, yMax, yFormat = String, xFormat = String, height = 170, label, emptyText }) {
  const points = series.flatMap((one) => one.points);
  if (points.length < 2) {
    return mount(container, h('p', { class: 'chart-empty muted' }, emptyText || 'No data yet.'));
  }
  const highest = Math.max(...points.map((p) => p.y));
  const top = yMax ?? niceMax(highest);
  const { svg, width, y, plotW } = frame(container, height, top, yFormat, label);
  svg.setAttribute('data-points', points.length);
  svg.setAttribute('data-max', highest);
  const x0 = Math.min(...points.map((p) => p.x));
  const x1 = Math.max(...points.map((p) => p.x));
  const x = (v) => PAD.left + (x1 === x0 ? plotW : (plotW * (v - x0)) / (x1 - x0));
  series.forEach((one, i) => {
    if (!one.points.length) return;
    const d = one.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(Math.min(p.y, top)).toFixed(1)}`).join('');
    const last = one.points[one.points.length - 1];
    svg.append(s('path', { d, class: `line c${i % 6}` }),
      s('circle', { cx: x(last.x), cy: y(Math.min(last.y, top)), r: 3, class: `dot c${i % 6}` },
        s('title', {}, `${one.name}: ${yFormat(last.y)}`)));
  });
  svg.append(s('text', { x: PAD.left, y: y(0) + 17, class: 'tick' }, xFormat(x0)),
    s('text', { x: width - PAD.right, y: y(0) + 17, 'text-anchor': 'end', class: 'tick' }, xFormat(x1)));
  return mount(container, h('figure', { class: 'figure' }, svg, legend(series)));
}

/**
 * Bars per label, stacked when there are several series. labels: [..]; series: [{name, values}].
 * Every bar has a <title> with its numbers.
 */
export function barChart(container, { labels, series, yFormat = String, labelFormat = String, height = 190, label, emptyText }) {
  const totals = labels.map((_, i) => series.reduce((sum, one) => sum + (one.values[i] || 0), 0));
  if (!labels.length || totals.every((t) => t === 0)) {
    return mount(container, h('p', { class: 'chart-empty muted' }, emptyText || 'Nothing to show for this range.'));
  }
  const top = niceMax(Math.max(...totals));
  const { svg, y, plotW } = frame(container, height, top, yFormat, label);
  const slot = plotW / labels.length;
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const every = Math.ceil(labels.length / Math.max(1, Math.floor(plotW / 70)));
  labels.forEach((name, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    let base = 0;
    const tip = series.map((one) => `${one.name}: ${yFormat(one.values[i] || 0)}`).join(', ');
    series.forEach((one, k) => {
      const v = one.values[i] || 0;
      if (v > 0) {
        svg.append(s('rect', { x: cx - barW / 2, y: y(base + v), width: barW, height: y(base) - y(base + v), class: `bar c${k % 6}` },
          s('title', {}, `${labelFormat(name)} — ${tip}`)));
      }
      base += v;
    });
    if (i % every === 0) svg.append(s('text', { x: cx, y: y(0) + 17, 'text-anchor': 'middle', class: 'tick' }, labelFormat(name)));
  });
  return mount(container, h('figure', { class: 'figure' }, svg, legend(series)));
}
