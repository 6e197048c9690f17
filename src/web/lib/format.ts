import type { Me } from '../../protocol/auth.js';

/** `hh:mm` (24-hour) in the viewer's own time zone. */
export function formatClock(iso: string | undefined): string {
  const date = iso ? new Date(iso) : new Date(NaN);
  if (Number.isNaN(date.getTime())) return '–';
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

export function formatDate(iso: string | undefined): string {
  const date = iso ? new Date(iso) : new Date(NaN);
  if (Number.isNaN(date.getTime())) return '–';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
}

const numbers = new Intl.NumberFormat();

/** A count, or a dash when the server left it out. */
export function formatCount(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? numbers.format(value) : '–';
}

/** The name to greet someone by: display name, else username, else the email's first part. */
export function nameOf(me: Pick<Me, 'display_name' | 'username' | 'email'>): string {
  return me.display_name?.trim() || me.username || me.email.split('@')[0] || 'there';
}

export function roleLabel(role: Me['role']): string {
  return role === 'admin' ? 'Admin' : 'Member';
}

/** "Good morning" … by the viewer's local hour. */
export function greeting(now = new Date()): string {
  const hour = now.getHours();
  if (hour < 5) return 'Good night';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : [parts[0]];
  return (
    letters
      .map((part) => [...(part ?? '')][0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}
