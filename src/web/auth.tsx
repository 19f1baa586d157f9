import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, ApiError, call, setCsrfToken } from './api/client';
import type { components } from './api/schema';

type MeResponse = { user: User; csrfToken: string };
export type User = {
  id: string;
  clinicId: string;
  email: string;
  name: string;
  role: 'admin' | 'prescriber' | 'nurse' | 'staff' | 'patient';
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: string;
};
export type { components };

interface AuthState {
  user: User | null;
  loading: boolean;
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
        return data as MeResponse;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Infinity,
  });
  const state: AuthState = {
    user: me.data?.user ?? null,
    loading: me.isLoading,
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

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
