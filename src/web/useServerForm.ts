import { useForm, type UseFormReturnType } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { serverErrors, validateWith, type FieldErrors } from './forms';

export interface ServerFormOptions<V extends Record<string, unknown>, B, R> {
  initialValues: V;
  /** The server's request schema for this form's body. */
  schema: z.ZodType;
  /** Form values → request body (the same conversion is validated and sent). */
  toRequest: (values: V) => B;
  /** Friendlier messages for some fields than the schema's own. */
  messages?: FieldErrors;
  send: (body: B) => Promise<R>;
  onSaved?: (result: R) => void;
  /** Clear the form after a successful save (entries such as vitals); default false. */
  resetOnSave?: boolean;
}

export interface ServerForm<V extends Record<string, unknown>> {
  form: UseFormReturnType<V>;
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  pending: boolean;
  /** What the server refused that belongs to no field of this form. */
  message: string | null;
}

/**
 * A @mantine/form form validated with the server's schema and saved with a TanStack mutation; the
 * server's 400 field paths land under the matching inputs.
 */
export function useServerForm<V extends Record<string, unknown>, B, R>(
  opts: ServerFormOptions<V, B, R>,
): ServerForm<V> {
  const form = useForm<V>({
    initialValues: opts.initialValues,
    validate: validateWith(opts.schema, opts.toRequest, opts.messages),
  });
  const [message, setMessage] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: opts.send });
  const onSubmit = form.onSubmit((values) => {
    setMessage(null);
    mutation.mutate(opts.toRequest(values), {
      onSuccess: (result) => {
        if (opts.resetOnSave) form.reset();
        opts.onSaved?.(result);
      },
      onError: (err) => {
        const split = serverErrors(err, Object.keys(values));
        form.setErrors(split.fieldErrors);
        setMessage(split.message);
      },
    });
  });
  return { form, onSubmit, pending: mutation.isPending, message };
}
