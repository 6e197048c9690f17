import type { AdminStats, AdminUser, AdminUserChange, AdminUserList } from '../../../protocol/admin.js';
import { sessionApi } from '../../lib/api.js';

/** The admin routes (`/api/admin`); the server refuses them to anyone but an admin. */
export const getStats = () => sessionApi.get<AdminStats>('/api/admin/stats');

export function listUsers(search: string, offset: number, limit: number): Promise<AdminUserList> {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (search.trim() !== '') query.set('q', search.trim());
  return sessionApi.get<AdminUserList>(`/api/admin/users?${query.toString()}`);
}

export const changeUser = (id: number, change: AdminUserChange) =>
  sessionApi.patch<AdminUser>(`/api/admin/users/${id}`, change);
