import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { serverErrors } from '../../forms';
import type { SessionReading, SessionState } from './types';

export type SessionParams = { patientId: string; sessionId: string };

/** Puts a session state the server returned into the cache, and refreshes the curve it drives. */
export function useSessionSaved(params: SessionParams): (state: SessionState) => void {
  const queryClient = useQueryClient();
  return (state) => {
    queryClient.setQueryData(['session', params.sessionId], state);
    void queryClient.invalidateQueries({ queryKey: ['session-curve', params.sessionId] });
  };
}

/**
 * Puts what a vitals reading changed into the cached session state (the rest of the screen stays as
 * last read), and refreshes the curve. Without a cached state the session is read afresh.
 */
export function useSessionReadingSaved(params: SessionParams): (reading: SessionReading) => void {
  const queryClient = useQueryClient();
  return (reading) => {
    const key = ['session', params.sessionId];
    if (queryClient.getQueryData<SessionState>(key)) {
      queryClient.setQueryData<SessionState>(key, (old) => (old ? { ...old, ...reading } : old));
    } else {
      void queryClient.invalidateQueries({ queryKey: key });
    }
    void queryClient.invalidateQueries({ queryKey: ['session-curve', params.sessionId] });
  };
}

/**
 * One session entry without a form of its own (a button: check in, start, pause, a decision):
 * a mutation whose answer becomes the cached session state, with the server's refusal as text.
 */
export function useSessionAction<B>(params: SessionParams, send: (body: B) => Promise<SessionState>) {
  const saved = useSessionSaved(params);
  const [message, setMessage] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: send,
    onMutate: () => setMessage(null),
    onSuccess: saved,
    onError: (err) => setMessage(serverErrors(err, []).message),
  });
  return { run: mutation.mutate, pending: mutation.isPending, message, error: mutation.error };
}
