import type { IconNode } from 'lucide';
import { h } from 'preact';

interface IconProps {
  /** A Lucide icon, imported one by one (`import { Menu } from 'lucide'`) so the bundle stays small. */
  icon: IconNode;
  size?: number;
  class?: string;
}

/** A decorative Lucide icon; the control it sits in carries the accessible name. */
export function Icon({ icon, size = 20, class: className }: IconProps) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
      class={className ? `icon ${className}` : 'icon'}
    >
      {icon.map(([tag, attrs], index) => h(tag, { key: index, ...attrs }))}
    </svg>
  );
}
