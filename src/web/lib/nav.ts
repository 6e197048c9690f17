import { LayoutDashboard, MessagesSquare, Settings, Timer, type IconNode } from 'lucide';

export interface NavItem {
  key: string;
  href: string;
  label: string;
  icon: IconNode;
  /** Shown only to admins. */
  adminOnly?: boolean;
}

/** The one list of signed-in pages (the admin page joins here, admin-only, when it exists). */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', href: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { key: 'chat', href: '/chat', label: 'Chat', icon: MessagesSquare },
  { key: 'clock', href: '/clock', label: 'Focus clock', icon: Timer },
  { key: 'settings', href: '/settings', label: 'Settings', icon: Settings },
];
