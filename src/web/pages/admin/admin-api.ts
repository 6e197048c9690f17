import type { AdminStats, AdminUser, AdminUserChange, AdminUserList, AdminUserQuery } from '../../../protocol/admin.js';
import type {
  AuditList,
  ChatSettings,
  ReportCount,
  ReportList,
  ReportResolution,
} from '../../../protocol/moderation.js';
import { sessionApi } from '../../lib/api.js';

/** The admin routes (`/api/admin`); the server refuses them to anyone but an admin. */
export const getStats = () => sessionApi.get<AdminStats>('/api/admin/stats');

/** What the account list is narrowed to and sorted by. */
export type UserView = Pick<AdminUserQuery, 'role' | 'state' | 'sort'>;

export function listUsers(search: string, offset: number, limit: number, view: UserView = {}): Promise<AdminUserList> {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (search.trim() !== '') query.set('q', search.trim());
  for (const [key, value] of Object.entries(view)) if (typeof value === 'string') query.set(key, value);
  return sessionApi.get<AdminUserList>(`/api/admin/users?${query.toString()}`);
}

export const changeUser = (id: number, change: AdminUserChange) =>
  sessionApi.patch<AdminUser>(`/api/admin/users/${id}`, change);
export const timeOutUser = (id: number, minutes: number) =>
  sessionApi.post<AdminUser>(`/api/admin/users/${id}/timeout`, { minutes });

export const getReports = () => sessionApi.get<ReportList>('/api/admin/reports?status=open');
export const getReportCount = () => sessionApi.get<ReportCount>('/api/admin/reports/count');
export const resolveReport = (id: number, action: ReportResolution) =>
  sessionApi.post<ReportCount>(`/api/admin/reports/${id}/resolve`, { action });

export const getAudit = (before: number | null) =>
  sessionApi.get<AuditList>(`/api/admin/audit?limit=20${before === null ? '' : `&before=${before}`}`);

export const getChatSettings = () => sessionApi.get<ChatSettings>('/api/admin/chat/settings');
export const putChatSettings = (settings: ChatSettings) =>
  sessionApi.put<ChatSettings>('/api/admin/chat/settings', settings);
