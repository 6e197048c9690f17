import { LayoutDashboard, MessagesSquare, Settings, ShieldCheck, Timer, type IconNode } from 'lucide';

export interface NavItem {
  key: string;
  href: string;
  label: string;
  icon: IconNode;
  /** Shown only to admins. */
  adminOnly?: boolean;
}

/** The one list of signed-in pages. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', href: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { key: 'chat', href: '/chat', label: 'Chat', icon: MessagesSquare },
  { key: 'clock', href: '/clock', label: 'Focus clock', icon: Timer },
  { key: 'settings', href: '/settings', label: 'Settings', icon: Settings },
  { key: 'admin', href: '/admin', label: 'Admin', icon: ShieldCheck, adminOnly: true },
];
