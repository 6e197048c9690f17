import type { LoginBody, Me, RegisterBody, TokenResponse } from '../../protocol/auth.js';
import type { Dashboard, MyDashboard } from '../../protocol/dashboard.js';
import type {
  ConfirmLinkBody,
  Identities,
  PendingLink,
  ProviderId,
  Providers,
  Redirect,
} from '../../protocol/oauth.js';
import type {
  CompleteProfileBody,
  PasswordChangeBody,
  Profile,
  ProfilePatch,
  ProfileStatus,
} from '../../protocol/profile.js';
import { publicApi, sessionApi } from './api.js';

// The session lives in an HttpOnly cookie the server sets; the token in these answers is
// for API clients and is deliberately ignored here.

export const login = (body: LoginBody) => publicApi.post<TokenResponse>('/auth/login', body);
export const register = (body: RegisterBody) => publicApi.post<TokenResponse>('/auth/register', body);
/** Right after signing in, so a 401 is an error to show, not a reason to go back to sign in. */
export const getStatusAfterLogin = () => publicApi.get<ProfileStatus>('/api/profile/status');

export const logout = () => publicApi.post<undefined>('/auth/logout');
export const logoutEverywhere = () => sessionApi.post<undefined>('/auth/logout-all');
export const getMe = () => sessionApi.get<Me>('/auth/me');

export const getProfile = () => sessionApi.get<Profile>('/api/profile');
export const updateProfile = (patch: ProfilePatch) => sessionApi.patch<Profile>('/api/profile', patch);
export const completeProfile = (body: CompleteProfileBody) =>
  sessionApi.post<{ message: string; redirect_to: string }>('/api/profile/complete', body);
export const changePassword = (body: PasswordChangeBody) =>
  sessionApi.post<{ message: string }>('/api/profile/password', body);

export const getDashboard = () => sessionApi.get<Dashboard>('/api/dashboard');
/** The caller's own focus, streaks and last 30 days (in their profile's time zone). */
export const getMyDashboard = () => sessionApi.get<MyDashboard>('/api/dashboard/me');

/** The sign-in providers that are on: the server decides which buttons exist. */
export const getProviders = () => publicApi.get<Providers>('/auth/providers');
/** The provider identity waiting for this account's password (after a provider sign-in found the email taken). */
export const getPendingLink = () => publicApi.get<PendingLink>('/auth/link/pending');
export const confirmLink = (body: ConfirmLinkBody) => publicApi.post<TokenResponse>('/auth/link/confirm', body);
export const getIdentities = () => sessionApi.get<Identities>('/auth/identities');
/** Where to send the browser to link the provider to the signed-in account. */
export const startLink = (provider: ProviderId) => sessionApi.post<Redirect>(`/auth/${provider}/link`);
export const unlinkIdentity = (provider: ProviderId) => sessionApi.delete(`/auth/identities/${provider}`);
