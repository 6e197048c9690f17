import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { dayLabel, longDayLabel, niceMax, shortNumber } from './chart-scale.js';
import './chart.css';

/** One day of a series: a calendar date (`YYYY-MM-DD`) and its value. */
export interface ChartPoint {
  date: string;
  value: number;
}

export type ChartTone = 'pink' | 'cyan';

interface BarChartProps {
  /** Names the chart: the table's caption, e.g. "Focus minutes per day". */
  title: string;
  /** Read by screen readers instead of the drawing: what the chart shows in one sentence. */
  summary: string;
  /** Oldest first. */
  points: readonly ChartPoint[];
  /** The date drawn as today (marked, and labelled "Today"). */
  today?: string;
  /** How one value reads, e.g. "1 h 25 min" or "3 messages". */
  formatValue: (value: number) => string;
  /** The value column's header in the table alternative. */
  valueLabel: string;
  tone?: ChartTone;
  /** Whole numbers only (counts): the axis lines fall on whole numbers too. */
  integer?: boolean;
}

/** Drawing height in px; the width follows the container so text is never squeezed. */
const HEIGHT = 200;
const TOP = 12;
const BOTTOM = 26;
const RIGHT = 4;
/** Before the first measurement (and without ResizeObserver). */
const FALLBACK_WIDTH = 560;
/** Date labels need about this much room each. */
const LABEL_ROOM = 58;

/** The element's width in CSS px, kept up to date as the layout changes. */
function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => {
      const next = Math.floor(element.clientWidth);
      if (next > 0) setWidth(next);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * A bar chart of days as SVG: the viewBox follows the container's width, the y axis shows
 * zero, half and a round maximum, dates are labelled every few days and today is marked.
 * Each bar carries `data-date` and `data-value`; each column has a `<title>` tooltip and
 * pointing at it shows the exact figure below the chart. Screen readers get the summary and
 * a table of every day instead of the drawing.
 */
export function BarChart(props: BarChartProps) {
  const { title, summary, points, today, formatValue, valueLabel, tone = 'pink', integer = false } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);

  const top = niceMax(Math.max(0, ...points.map((point) => point.value)), integer);
  const ticks = [0, top / 2, top];
  const tickLabels = ticks.map(shortNumber);
  const left = 10 + 7.5 * Math.max(...tickLabels.map((label) => label.length));
  const plotWidth = Math.max(10, width - left - RIGHT);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const count = Math.max(1, points.length);
  const band = plotWidth / count;
  const barWidth = Math.max(2, Math.min(band * 0.7, 26));
  const y = (value: number) => TOP + plotHeight - (Math.max(0, value) / top) * plotHeight;
  // Label every `step` days counting back from the last one, so today always has its label.
  const step = [1, 2, 5, 7, 10, 15].find((days) => days * band >= LABEL_ROOM) ?? 30;
  const todayIndex = today === undefined ? -1 : points.findIndex((point) => point.date === today);

  const shown = active ?? (todayIndex >= 0 ? todayIndex : points.length - 1);
  const shownPoint = points[shown];

  return (
    <div class={`chart chart-${tone}`}>
      <div ref={ref} class="chart-frame">
        <svg
          class="chart-svg"
          role="img"
          aria-label={summary}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width="100%"
          height={HEIGHT}
          preserveAspectRatio="xMinYMin meet"
          onPointerLeave={() => setActive(null)}
        >
          {todayIndex >= 0 && (
            <rect
              class="chart-today-band"
              x={left + todayIndex * band}
              y={TOP}
              width={band}
              height={plotHeight}
              rx={3}
            />
          )}
          {ticks.map((tick, i) => (
            <g key={i} class="chart-gridline">
              <line x1={left} x2={width - RIGHT} y1={y(tick)} y2={y(tick)} />
              <text class="chart-axis-label" x={left - 6} y={y(tick)} dy="0.32em" text-anchor="end">
                {tickLabels[i]}
              </text>
            </g>
          ))}
          {points.map((point, i) => {
            const isToday = i === todayIndex;
            const height = point.value > 0 ? Math.max(2, y(0) - y(point.value)) : 0;
            const label = `${longDayLabel(point.date)}${isToday ? ' (today)' : ''}: ${formatValue(point.value)}`;
            const classes = ['chart-column', isToday && 'is-today', i === active && 'is-active'];
            return (
              <g key={point.date} class={classes.filter(Boolean).join(' ')} onPointerEnter={() => setActive(i)}>
                <title>{label}</title>
                <rect class="chart-hit" x={left + i * band} y={TOP} width={band} height={plotHeight} />
                <rect
                  class="chart-bar"
                  data-date={point.date}
                  data-value={point.value}
                  data-today={isToday ? 'true' : undefined}
                  x={left + i * band + (band - barWidth) / 2}
                  y={y(0) - height}
                  width={barWidth}
                  height={height}
                  rx={Math.min(3, barWidth / 3)}
                />
              </g>
            );
          })}
          {points.map((point, i) => {
            if ((points.length - 1 - i) % step !== 0) return null;
            const isLast = i === points.length - 1;
            return (
              <text
                key={point.date}
                class={i === todayIndex ? 'chart-axis-label chart-today-label' : 'chart-axis-label'}
                x={isLast ? left + (i + 1) * band : left + (i + 0.5) * band}
                y={HEIGHT - 8}
                text-anchor={isLast ? 'end' : 'middle'}
              >
                {i === todayIndex ? 'Today' : dayLabel(point.date)}
              </text>
            );
          })}
        </svg>
      </div>
      <p class="chart-readout" aria-hidden="true">
        {shownPoint
          ? `${shown === todayIndex ? 'Today' : longDayLabel(shownPoint.date)}: ${formatValue(shownPoint.value)}`
          : ''}
      </p>
      <table class="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">{valueLabel}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.date}>
              <th scope="row">
                {longDayLabel(point.date)}
                {point.date === today ? ' (today)' : ''}
              </th>
              <td>{formatValue(point.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
