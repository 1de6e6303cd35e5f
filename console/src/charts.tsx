// Charts drawn as inline SVG (no chart library): a sparkline, bars, a meter, the RFM grid
// heatmap and an interval chart. Each has a text alternative for screen readers.
import { moneyShort, percent } from './format';

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 120;
  const h = 32;
  if (values.length < 2) return null;
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const points = values
    .map((v, i) => `${((i / (values.length - 1)) * w).toFixed(1)},${(h - 2 - ((v - min) / span) * (h - 4)).toFixed(1)}`)
    .join(' ');
  return (
    <svg class="spark" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

export interface Bar {
  label: string;
  value: number;
  text: string;
}

/** Vertical bars, the count above each and its label under it. */
export function Bars({ bars, label, height = 140 }: { bars: Bar[]; label: string; height?: number }) {
  const bw = 72;
  const w = Math.max(240, bars.length * bw);
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <svg class="chart" viewBox={`0 0 ${w} ${height + 36}`} role="img" aria-label={`${label}. ${bars.map((b) => `${b.label}: ${b.text}`).join('; ')}`}>
      {bars.map((b, i) => {
        const bh = (b.value / max) * (height - 16);
        return (
          <g key={`${i}-${b.label}`}>
            <title>{`${b.label}: ${b.text}`}</title>
            <rect x={i * bw + 4} y={height - bh} width={bw - 8} height={bh} class="bar" />
            <text x={i * bw + bw / 2} y={height - bh - 4} text-anchor="middle" class="tick">
              {b.text}
            </text>
            <text x={i * bw + bw / 2} y={height + 16} text-anchor="middle" class="tick">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A 0-1 share as a horizontal meter (colour by band). */
export function Meter({ value, label, tone }: { value: number; label: string; tone: 'good' | 'warn' | 'bad' }) {
  const w = 200;
  return (
    <svg class={`meter ${tone}`} viewBox={`0 0 ${w} 12`} width={w} height={12} role="img" aria-label={`${label}: ${percent(value)}`}>
      <rect x="0" y="0" width={w} height="12" rx="6" class="track" />
      <rect x="0" y="0" width={Math.max(0, Math.min(1, value)) * w} height="12" rx="6" class="fill" />
    </svg>
  );
}

export interface RfmCell {
  segment: string;
  label: string;
  accounts: number;
  revenue: string | number;
  shareOfRevenue: number;
}

// Rows R = 5 (top) to 1, columns FM = 1 to 5: the grid of domain/src/rfm.rs.
const GRID: string[][] = [
  ['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
  ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'champions'],
  ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'at_risk'],
  ['lost', 'lost', 'at_risk', 'cant_lose_them', 'cant_lose_them'],
];

/** The R x FM grid: each cell coloured by its segment's share of revenue; the segment's name,
 * customers and revenue are written in its first cell. */
export function RfmGrid({ cells, onPick }: { cells: RfmCell[]; onPick?: (segment: string) => void }) {
  const size = 96;
  const pad = 28;
  const bySegment = new Map(cells.map((c) => [c.segment, c]));
  const maxShare = Math.max(0.0001, ...cells.map((c) => c.shareOfRevenue));
  const seen = new Set<string>();
  const summary = cells.map((c) => `${c.label}: ${c.accounts} customers, ${moneyShort(c.revenue)}`).join('; ');
  return (
    <svg class="chart rfm" viewBox={`0 0 ${pad + size * 5 + 4} ${size * 5 + pad + 4}`} role="img" aria-label={`RFM grid. ${summary}`}>
      {GRID.map((row, ri) =>
        row.map((segment, ci) => {
          const cell = bySegment.get(segment);
          const share = cell ? cell.shareOfRevenue / maxShare : 0;
          const first = !seen.has(segment);
          seen.add(segment);
          const x = pad + ci * size;
          const y = ri * size;
          return (
            <g key={`${ri}-${ci}`} class={onPick ? 'pick' : undefined} onClick={() => onPick?.(segment)}>
              <title>{cell ? `${cell.label}: ${cell.accounts} customers, ${moneyShort(cell.revenue)} revenue` : segment}</title>
              <rect x={x + 1} y={y + 1} width={size - 2} height={size - 2} fill={`hsl(210 70% ${Math.round(96 - share * 58)}%)`} />
              {first && cell && (
                <>
                  <text x={x + 6} y={y + 18} class={share > 0.55 ? 'cell light' : 'cell'}>
                    {cell.label}
                  </text>
                  <text x={x + 6} y={y + 36} class={share > 0.55 ? 'cell light' : 'cell'}>
                    {cell.accounts} customers
                  </text>
                  <text x={x + 6} y={y + 52} class={share > 0.55 ? 'cell light' : 'cell'}>
                    {moneyShort(cell.revenue)}
                  </text>
                </>
              )}
            </g>
          );
        }),
      )}
      {[5, 4, 3, 2, 1].map((r, i) => (
        <text key={`r${r}`} x={10} y={i * size + size / 2 + 4} class="tick" text-anchor="middle">
          {`R${r}`}
        </text>
      ))}
      {[1, 2, 3, 4, 5].map((fm, i) => (
        <text key={`fm${fm}`} x={pad + i * size + size / 2} y={size * 5 + 18} class="tick" text-anchor="middle">
          {`FM${fm}`}
        </text>
      ))}
    </svg>
  );
}

export interface Interval {
  label: string;
  estimate: number;
  low: number | null;
  high: number | null;
  text: string;
}

/** Estimates with their 95 % intervals around a zero line (an uplift chart). */
export function IntervalChart({ rows, label }: { rows: Interval[]; label: string }) {
  const w = 520;
  const left = 150;
  const rowH = 30;
  const values = rows.flatMap((r) => [r.estimate, r.low ?? r.estimate, r.high ?? r.estimate, 0]);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (v: number) => left + 10 + ((v - min) / span) * (w - left - 30);
  const h = rows.length * rowH + 24;
  return (
    <svg class="chart interval" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}. ${rows.map((r) => `${r.label}: ${r.text}`).join('; ')}`}>
      <line x1={x(0)} x2={x(0)} y1={0} y2={rows.length * rowH} class="zero" />
      <text x={x(0)} y={h - 6} text-anchor="middle" class="tick">
        0
      </text>
      {rows.map((r, i) => {
        const y = i * rowH + rowH / 2;
        return (
          <g key={r.label}>
            <title>{`${r.label}: ${r.text}`}</title>
            <text x={0} y={y + 4} class="tick">
              {r.label}
            </text>
            {r.low != null && r.high != null && <line x1={x(r.low)} x2={x(r.high)} y1={y} y2={y} class="ci" />}
            {r.low != null && <line x1={x(r.low)} x2={x(r.low)} y1={y - 6} y2={y + 6} class="ci" />}
            {r.high != null && <line x1={x(r.high)} x2={x(r.high)} y1={y - 6} y2={y + 6} class="ci" />}
            <circle cx={x(r.estimate)} cy={y} r={5} class={r.low != null && r.low > 0 ? 'est good' : 'est'} />
          </g>
        );
      })}
    </svg>
  );
}

export interface HeatRow {
  label: string;
  note: string;
  cells: { value: number; text: string; title: string }[];
}

/** A table-like heatmap (cohort retention): rows, numbered columns, cells shaded by value 0-1. */
export function Heatmap({ rows, columns, label }: { rows: HeatRow[]; columns: string[]; label: string }) {
  const left = 130;
  const cw = 52;
  const rh = 26;
  const w = left + columns.length * cw;
  const h = 22 + rows.length * rh;
  return (
    <svg class="chart heat" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      {columns.map((c, i) => (
        <text key={c} x={left + i * cw + cw / 2} y={14} text-anchor="middle" class="tick">
          {c}
        </text>
      ))}
      {rows.map((r, ri) => (
        <g key={r.label}>
          <text x={0} y={22 + ri * rh + 17} class="tick">
            {r.label} <tspan class="muted">{r.note}</tspan>
          </text>
          {r.cells.map((c, ci) => (
            <g key={ci}>
              <title>{c.title}</title>
              <rect x={left + ci * cw + 1} y={22 + ri * rh + 1} width={cw - 2} height={rh - 2} fill={`hsl(160 55% ${Math.round(97 - Math.min(1, c.value) * 62)}%)`} />
              <text x={left + ci * cw + cw / 2} y={22 + ri * rh + 17} text-anchor="middle" class={c.value > 0.55 ? 'cell light' : 'cell'}>
                {c.text}
              </text>
            </g>
          ))}
        </g>
      ))}
    </svg>
  );
}

export interface LinePoint {
  label: string;
  value: number | null;
  low?: number | null;
  high?: number | null;
  text: string;
}

/** A line over periods on a fixed scale (NPS -100 to 100, CSAT 1 to 5), its 95 % interval as
 * a shaded band where given, gaps where a period has no value. */
export function LineChart({ points, label, min, max, zero }: { points: LinePoint[]; label: string; min: number; max: number; zero?: number }) {
  const w = 640;
  const h = 200;
  const left = 36;
  const bottom = 24;
  const span = max - min || 1;
  const step = points.length > 1 ? (w - left - 40) / (points.length - 1) : 0;
  const x = (i: number) => left + 6 + i * step;
  const y = (v: number) => 8 + (1 - (Math.max(min, Math.min(max, v)) - min) / span) * (h - bottom - 16);
  const segments: string[][] = [];
  let run: string[] = [];
  points.forEach((p, i) => {
    if (p.value == null) {
      if (run.length) segments.push(run);
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  if (run.length) segments.push(run);
  const banded = points.map((p, i) => ({ p, i })).filter(({ p }) => p.low != null && p.high != null);
  const band =
    banded.length > 1
      ? [...banded.map(({ p, i }) => `${x(i).toFixed(1)},${y(p.high ?? 0).toFixed(1)}`), ...[...banded].reverse().map(({ p, i }) => `${x(i).toFixed(1)},${y(p.low ?? 0).toFixed(1)}`)].join(' ')
      : null;
  const ticks = [min, zero ?? (min + max) / 2, max];
  const every = Math.max(1, Math.ceil(points.length / 12));
  return (
    <svg class="chart line" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}. ${points.map((p) => `${p.label}: ${p.text}`).join('; ')}`}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={w - 4} y1={y(t)} y2={y(t)} class={t === zero ? 'zero' : 'grid'} />
          <text x={left - 6} y={y(t) + 4} text-anchor="end" class="tick">
            {t}
          </text>
        </g>
      ))}
      {band && <polygon points={band} class="band-fill" />}
      {segments.map((s, i) => (s.length > 1 ? <polyline key={i} points={s.join(' ')} class="series" /> : null))}
      {points.map((p, i) =>
        p.value == null ? null : (
          <g key={p.label}>
            <title>{`${p.label}: ${p.text}`}</title>
            <circle cx={x(i)} cy={y(p.value)} r={3.5} class="dot" />
          </g>
        ),
      )}
      {points.map((p, i) =>
        i % every === 0 || i === points.length - 1 ? (
          <text key={`l${p.label}`} x={x(i)} y={h - 6} text-anchor="middle" class="tick">
            {p.label}
          </text>
        ) : null,
      )}
    </svg>
  );
}

/** Vertical bars around a zero line: gains above it, losses (class `loss`) below it. */
export function SignedBars({ bars, label, height = 160 }: { bars: Bar[]; label: string; height?: number }) {
  const bw = 72;
  const w = Math.max(240, bars.length * bw);
  const top = Math.max(0, ...bars.map((b) => b.value));
  const bottom = Math.min(0, ...bars.map((b) => b.value));
  const span = top - bottom || 1;
  const inner = height - 32;
  const zero = 16 + (top / span) * inner;
  const y = (v: number) => 16 + ((top - v) / span) * inner;
  return (
    <svg class="chart" viewBox={`0 0 ${w} ${height + 20}`} role="img" aria-label={`${label}. ${bars.map((b) => `${b.label}: ${b.text}`).join('; ')}`}>
      <line x1={0} x2={w} y1={zero} y2={zero} class="zero" />
      {bars.map((b, i) => {
        const loss = b.value < 0;
        const y0 = loss ? zero : y(b.value);
        const bh = Math.max(loss ? y(b.value) - zero : zero - y(b.value), b.value === 0 ? 0 : 1);
        return (
          <g key={`${i}-${b.label}`}>
            <title>{`${b.label}: ${b.text}`}</title>
            <rect x={i * bw + 4} y={y0} width={bw - 8} height={bh} class={loss ? 'bar loss' : 'bar'} />
            <text x={i * bw + bw / 2} y={loss ? y0 + bh + 12 : y0 - 4} text-anchor="middle" class="tick">
              {b.text}
            </text>
            <text x={i * bw + bw / 2} y={height + 14} text-anchor="middle" class="tick">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
