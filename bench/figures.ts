/** One measured figure beside its baseline, as every benchmark reports it. */
export interface Figure {
  group: string;
  name: string;
  value: number;
  unit: string;
  /** The same measure of the baseline, run in the same process; null where no baseline applies. */
  baseline: number | null;
  baselineName?: string;
  /** value / baseline. */
  ratio: number | null;
  target?: string;
  met?: boolean | null;
}

export function figure(group: string, name: string, value: number, unit: string, baseline: number | null, extra: Partial<Figure> = {}): Figure {
  return { group, name, value, unit, baseline, ratio: baseline ? value / baseline : null, ...extra };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function printTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.group,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline === null ? '—' : `${fmt(f.baseline)} ${f.unit}${f.baselineName ? ` (${f.baselineName})` : ''}`,
    f.ratio === null ? '—' : f.ratio.toFixed(2) + '×',
    f.target ? `${f.target}${f.met === true ? ' ✓' : f.met === false ? ' ✗' : ''}` : '',
  ]);
  const head = ['group', 'figure', 'value', 'baseline', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
