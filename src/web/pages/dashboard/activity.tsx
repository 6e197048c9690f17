import { MessageSquare, Timer, type IconNode } from 'lucide';
import type { ComponentChildren } from 'preact';
import type { DailyActivity, MyDashboard } from '../../../protocol/dashboard.js';
import { BarChart, type ChartPoint } from '../../lib/chart.js';
import { longDayLabel } from '../../lib/chart-scale.js';
import { Icon } from '../../lib/icon.js';
import { formatDuration, formatMessages, minutesOf } from './format.js';
import './activity.css';

/** The last 30 days of the viewer: focus minutes and messages per day. */
export function ActivityCharts({ data }: { data: MyDashboard }) {
  const daily: readonly DailyActivity[] = Array.isArray(data.daily) ? data.daily : [];
  const today = daily[daily.length - 1]?.date;
  const focus = daily.map((day) => ({ date: day.date, value: minutesOf(day.focus_seconds) }));
  const messages = daily.map((day) => ({ date: day.date, value: day.messages }));
  const focusSeconds = daily.reduce((sum, day) => sum + day.focus_seconds, 0);
  const messageCount = daily.reduce((sum, day) => sum + day.messages, 0);
  const everFocused = (data.focus?.total_seconds ?? 0) > 0;

  return (
    <div class="chart-grid">
      <ChartCard
        id="focus"
        icon={Timer}
        title="Focus minutes per day"
        total={`${formatDuration(focusSeconds)} in 30 days`}
      >
        {focusSeconds > 0 ? (
          <BarChart
            title="Focus minutes per day, last 30 days"
            summary={summaryOf(focus, 'Focus per day over the last 30 days', (m) => formatDuration(m * 60))}
            points={focus}
            today={today}
            formatValue={(minutes) => formatDuration(minutes * 60)}
            valueLabel="Focus"
            tone="pink"
          />
        ) : (
          <EmptyChart>
            {everFocused ? 'No focus time in the last 30 days' : 'No focus time yet'} —{' '}
            <a href="/clock">start the clock</a>
          </EmptyChart>
        )}
      </ChartCard>
      <ChartCard
        id="messages"
        icon={MessageSquare}
        title="Messages per day"
        total={`${formatMessages(messageCount)} in 30 days`}
      >
        {messageCount > 0 ? (
          <BarChart
            title="Messages per day, last 30 days"
            summary={summaryOf(messages, 'Messages you sent per day over the last 30 days', formatMessages)}
            points={messages}
            today={today}
            formatValue={formatMessages}
            valueLabel="Messages"
            tone="cyan"
            integer
          />
        ) : (
          <EmptyChart>
            No messages from you in the last 30 days — <a href="/chat">say hello in the chat</a>
          </EmptyChart>
        )}
      </ChartCard>
    </div>
  );
}

/** "Focus per day …: 2 h 40 min on 3 of 30 days; the most, 1 h 25 min, on Mon 9 Mar." */
function summaryOf(points: readonly ChartPoint[], what: string, format: (value: number) => string): string {
  const active = points.filter((point) => point.value > 0);
  const best = active.reduce<ChartPoint | undefined>(
    (top, point) => (top && top.value >= point.value ? top : point),
    undefined,
  );
  const total = points.reduce((sum, point) => sum + point.value, 0);
  if (best === undefined) return `${what}: nothing yet.`;
  return `${what}: ${format(total)} on ${active.length} of ${points.length} days; the most, ${format(best.value)}, on ${longDayLabel(best.date)}.`;
}

interface ChartCardProps {
  id: string;
  icon: IconNode;
  title: string;
  total: string;
  children: ComponentChildren;
}

function ChartCard({ id, icon, title, total, children }: ChartCardProps) {
  return (
    <section class={`glass-card chart-card chart-card-${id}`} aria-labelledby={`chart-${id}-title`} data-chart={id}>
      <header class="chart-card-head">
        <h3 id={`chart-${id}-title`} class="chart-card-title">
          <Icon icon={icon} size={18} />
          <span>{title}</span>
        </h3>
        <p class="chart-card-total">{total}</p>
      </header>
      {children}
    </section>
  );
}

function EmptyChart({ children }: { children: ComponentChildren }) {
  return (
    <div class="chart-empty">
      <p>{children}</p>
    </div>
  );
}
