import type { IconNode } from 'lucide';
import type { ComponentChildren } from 'preact';
import { Icon } from './icon.js';
import './stat-card.css';

/** The colour of a card's icon and glow. */
export type Tone = 'pink' | 'cyan' | 'violet' | 'amber' | 'green';

interface StatCardProps {
  /** Unique on the page: the card is `.stat-<id>` and labelled by `#stat-<id>-label`. */
  id: string;
  icon: IconNode;
  label: string;
  /** Already formatted; a missing figure shows a dash. */
  value: string | undefined;
  caption?: ComponentChildren;
  tone?: Tone;
  /** Smaller figures, for the longer list of community cards. */
  compact?: boolean;
}

/** One figure: an article named by its label (so tests and screen readers find it by name). */
export function StatCard({ id, icon, label, value, caption, tone = 'pink', compact }: StatCardProps) {
  const classes = ['glass-card', 'stat-card', `stat-${id}`, `tone-${tone}`, compact && 'stat-card-compact'];
  return (
    <article class={classes.filter(Boolean).join(' ')} aria-labelledby={`stat-${id}-label`}>
      <span class="stat-icon">
        <Icon icon={icon} size={compact ? 18 : 22} />
      </span>
      <h3 id={`stat-${id}-label`} class="stat-label">
        {label}
      </h3>
      <p class="stat-value">{withUnits(value ?? '–')}</p>
      {caption !== undefined && <p class="stat-caption">{caption}</p>}
    </article>
  );
}

/** "2 h 40 min" → the numbers large, the units small (the text itself stays the same). */
function withUnits(value: string) {
  return value.split(/(\s+)/).map((part, i) =>
    /^[a-z]+$/i.test(part) ? (
      <span key={i} class="stat-unit">
        {part}
      </span>
    ) : (
      part
    ),
  );
}
