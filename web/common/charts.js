// Small inline SVG charts for the indicators: horizontal bars and a monthly growth chart.
// Each comes with its numbers as a table (for screen readers and anyone who prefers them)
// and a CSV download of exactly those numbers.
import { h, s } from './dom.js';
import { FormatNumber, T } from './i18n.js';

// RFC 4180 text of `rows` (arrays), with a header line, separated by `separator`: ';' for the
// downloads, which French spreadsheet software opens as columns (docs/web.md); numbers are
// whole counts, so no decimal separator is at stake.
export function Csv(header, rows, separator = ';') {
  const cell = (v) => {
    let text = String(v ?? '');
    if (/^[=+\-@]/.test(text)) text = `'${text}`;  // no formulas in spreadsheets
    return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(cell).join(separator)).join('\r\n') + '\r\n';
}

// A label cut into lines of at most `max` characters at spaces (a longer word keeps its line).
export function WrapLabel(text, max = 28) {
  const lines = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [''];
}

// The UTF-8 byte order mark first: spreadsheet software then reads the accents right.
export function CsvLink(fileName, header, rows) {
  const blob = new Blob([`\ufeff${Csv(header, rows)}`], { type: 'text/csv;charset=utf-8' });
  return h('a', { class: 'button secondary', href: URL.createObjectURL(blob), download: fileName, text: T('download.csv') });
}

function DataTable(caption, header, rows) {
  return h('details', {},
    h('summary', { text: T('chart.table') }),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden', text: caption }),
      h('thead', {}, h('tr', {}, header.map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row', text: c }) : h('td', { text: typeof c === 'number' ? FormatNumber(c) : c })))))))));
}

function Frame(id, title, description, svg, table, link) {
  return h('section', { class: 'card chart', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: title }),
    description ? h('p', { class: 'hint', id: `${id}-desc`, text: description }) : null,
    svg, h('div', { class: 'actions' }, link), table);
}

// rows: [{label, value, code?}] drawn largest first as they come. A long label wraps onto
// several lines beside its bar, never cut.
export function BarChart({ id, title, description, rows, valueHeader, csvName, codeHeader }) {
  const width = 480;
  const labelWidth = 210;
  const barHeight = 18;
  const lineHeight = 15;
  const gap = 6;
  const wrapped = rows.map((r) => WrapLabel(r.label));
  const heights = wrapped.map((lines) => Math.max(barHeight, lines.length * lineHeight + 3));
  const height = heights.reduce((a, b) => a + b + gap, 0) + 10;
  const max = Math.max(1, ...rows.map((r) => r.value));
  let y = 5;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': description ? `${id}-desc` : null },
    rows.map((r, i) => {
      const top = y;
      y += heights[i] + gap;
      const barTop = top + (heights[i] - barHeight) / 2;
      const w = Math.max(1, ((width - labelWidth - 50) * r.value) / max);
      const lines = wrapped[i];
      const firstLine = top + (heights[i] - lines.length * lineHeight) / 2 + 12;
      return s('g', {},
        s('title', { text: `${r.label} : ${FormatNumber(r.value)}` }),
        s('text', { class: 'bar-label', x: labelWidth - 8, y: firstLine, 'text-anchor': 'end' },
          lines.map((line, k) => s('tspan', { x: labelWidth - 8, dy: k ? lineHeight : 0, text: line }))),
        s('rect', { class: 'bar', x: labelWidth, y: barTop, width: w, height: barHeight, rx: 2 }),
        s('text', { x: labelWidth + w + 6, y: barTop + 14, text: FormatNumber(r.value) }));
    }));
  const header = codeHeader ? [T('chart.label'), codeHeader, valueHeader] : [T('chart.label'), valueHeader];
  const data = rows.map((r) => (codeHeader ? [r.label, r.code, r.value] : [r.label, r.value]));
  return Frame(id, title, description, svg, DataTable(title, header, data), CsvLink(csvName, header, data));
}

// rows: [{month: 'YYYY-MM', admitted, cumulative}]: bars for each month's admissions, a line
// for the running total.
export function GrowthChart({ id, title, description, rows, csvName }) {
  const width = 480;
  const height = 220;
  const left = 48;
  const bottom = 40;
  const top = 14;
  const plotW = width - left - 16;
  const plotH = height - top - bottom;
  const maxBar = Math.max(1, ...rows.map((r) => r.admitted));
  const maxLine = Math.max(1, ...rows.map((r) => r.cumulative));
  const step = plotW / Math.max(1, rows.length);
  const barW = Math.max(2, Math.min(36, step * 0.6));
  const x = (i) => left + step * i + step / 2;
  const yBar = (v) => top + plotH - (plotH * v) / maxBar;
  const yLine = (v) => top + plotH - (plotH * v) / maxLine;
  const labelEvery = Math.max(1, Math.ceil(rows.length / 8));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': description ? `${id}-desc` : null },
    s('line', { class: 'axis', x1: left, y1: top + plotH, x2: width - 10, y2: top + plotH }),
    s('text', { x: left - 6, y: top + 10, 'text-anchor': 'end', text: FormatNumber(maxBar) }),
    s('text', { x: left - 6, y: top + plotH, 'text-anchor': 'end', text: '0' }),
    rows.map((r, i) => s('g', {},
      s('title', { text: `${r.month} : ${FormatNumber(r.admitted)} (${FormatNumber(r.cumulative)})` }),
      s('rect', { class: 'bar', x: x(i) - barW / 2, y: yBar(r.admitted), width: barW, height: top + plotH - yBar(r.admitted) }),
      i % labelEvery === 0 ? s('text', { x: x(i), y: top + plotH + 18, 'text-anchor': 'middle', text: r.month }) : null)),
    rows.length > 1 ? s('polyline', { class: 'line', points: rows.map((r, i) => `${x(i)},${yLine(r.cumulative)}`).join(' ') }) : null,
    rows.length ? s('text', { x: width - 12, y: Math.max(12, yLine(rows.at(-1).cumulative) - 6), 'text-anchor': 'end', text: `${T('chart.total')} ${FormatNumber(rows.at(-1).cumulative)}` }) : null);
  const header = [T('chart.month'), T('chart.admitted'), T('chart.cumulative')];
  const data = rows.map((r) => [r.month, r.admitted, r.cumulative]);
  return Frame(id, title, description, svg, DataTable(title, header, data), CsvLink(csvName, header, data));
}
