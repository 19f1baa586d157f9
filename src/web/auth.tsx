import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, ApiError, call, setCsrfToken } from './api/client';
import type { components } from './api/schema';
import { capabilityChecker, type Can, type MeResponse } from './capabilities';

export type User = MeResponse['user'];
export type { components };

interface AuthState {
  user: User | null;
  loading: boolean;
  /** Whether the server's access rules let the user do something (false while signed out). */
  can: Can;
  /** The clinic's today (YYYY-MM-DD in its time zone), as the server states it; null signed out. */
  clinicToday: string | null;
  /** The clinic's time zone and the locale its dates are written in; null signed out. */
  clinic: { timeZone: string; locale: string } | null;
  /** The clinic requires two-factor sign-in and the user has not set it up: only that page opens. */
  twoFactorEnrolmentPending: boolean;
  /** Rein can send e-mail (the server has REIN_SMTP_URL): links may be e-mailed to patients. */
  emailEnabled: boolean;
  /** Stores the session returned by login or a password change. */
  signedIn(me: MeResponse): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const data = await call(api.GET('/api/auth/me'));
        setCsrfToken(data.csrfToken);
        return data;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    // Refreshed now and then so a screen left open past midnight moves to the clinic's new day.
    staleTime: 5 * 60_000,
  });
  const state: AuthState = {
    user: me.data?.user ?? null,
    loading: me.isLoading,
    can: capabilityChecker(me.data?.capabilities),
    clinicToday: me.data?.clinic.today ?? null,
    clinic: me.data ? { timeZone: me.data.clinic.timeZone, locale: me.data.clinic.locale } : null,
    twoFactorEnrolmentPending: me.data?.twoFactorEnrolmentPending ?? false,
    emailEnabled: me.data?.clinic.emailEnabled ?? false,
    signedIn(data) {
      setCsrfToken(data.csrfToken);
      queryClient.setQueryData(['me'], data);
    },
    async signOut() {
      try {
        await call(api.POST('/api/auth/logout'));
      } finally {
        setCsrfToken(null);
        queryClient.clear();
        queryClient.setQueryData(['me'], null);
      }
    },
  };
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

/** The clinic's zone and locale, or null outside the signed-in app (the patient portal, sign-in). */
export function useClinicCalendar(): AuthState['clinic'] {
  return useContext(AuthContext)?.clinic ?? null;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** Where a signed-in user goes first: the steps sign-in still needs, else where they were going. */
export function signInDestination(
  me: { user: { mustChangePassword: boolean } | null; twoFactorEnrolmentPending: boolean },
  from?: string,
): string {
  if (me.user?.mustChangePassword) return '/change-password';
  if (me.twoFactorEnrolmentPending) return '/two-factor';
  return from ?? '/';
}

/** The clinic's today for a signed-in page (forms default their dates to it). */
export function useClinicToday(): string {
  const today = useAuth().clinicToday;
  if (today === null) throw new Error('useClinicToday: only on signed-in pages');
  return today;
}
