import { Alert, Button, Checkbox, Group, Select, Stack, TextInput } from '@mantine/core';
import { api, call } from '../../api/client';
import { adverseEventSubmitSchema } from '../../contracts';
import { useServerForm } from '../../useServerForm';
import { RangeNumberInput } from '../RangeNumberInput';
import {
  ADVERSE_EVENT_EMPTY,
  adverseEventRequest,
  type AdverseEventBody,
  type AdverseEventValues,
} from './requests';
import { useSessionSaved, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

export const AE_CATEGORIES: { value: AdverseEventBody['category']; label: string }[] = [
  { value: 'nausea', label: 'Nausea' },
  { value: 'vomiting', label: 'Vomiting' },
  { value: 'hypertension', label: 'Hypertension' },
  { value: 'hypotension', label: 'Hypotension' },
  { value: 'bradycardia', label: 'Bradycardia' },
  { value: 'tachycardia', label: 'Tachycardia' },
  { value: 'desaturation-hypoxia', label: 'Desaturation / hypoxia' },
  { value: 'respiratory-depression', label: 'Respiratory depression' },
  { value: 'emergence-reaction', label: 'Emergence reaction' },
  { value: 'agitation-anxiety-panic', label: 'Agitation / anxiety / panic' },
  { value: 'hallucinations', label: 'Hallucinations' },
  { value: 'sedation', label: 'Sedation' },
  { value: 'dissociation', label: 'Dissociation' },
  { value: 'headache', label: 'Headache' },
  { value: 'dizziness', label: 'Dizziness' },
  { value: 'allergic-reaction', label: 'Allergic reaction' },
  { value: 'other', label: 'Other (describe)' },
];
export const AE_ESCALATION: { value: NonNullable<AdverseEventBody['escalation']>; label: string }[] = [
  { value: 'none', label: 'Not escalated' },
  { value: 'prescriber-notified', label: 'Prescriber notified' },
  { value: 'emergency-services-called', label: 'Emergency services called' },
  { value: 'transferred-to-hospital', label: 'Transferred to hospital' },
];

/** An adverse event at the chair: category, severity, action, onset, escalation and seriousness. */
export function AdverseEventForm({ params }: { params: SessionParams }) {
  const saved = useSessionSaved(params);
  const { form, onSubmit, pending, message } = useServerForm<
    AdverseEventValues,
    AdverseEventBody,
    SessionState
  >({
    initialValues: ADVERSE_EVENT_EMPTY,
    schema: adverseEventSubmitSchema,
    toRequest: adverseEventRequest,
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/adverse-events', {
          params: { path: params },
          body,
        }),
      ),
    onSaved: (state) => {
      saved(state);
      // The category, severity and action usually repeat; what was specific to this event is cleared.
      form.setValues({ serious: false, escalation: 'none', description: '', onsetMin: '' });
    },
  });
  return (
    <form onSubmit={onSubmit} aria-label="Adverse event" noValidate>
      <Stack gap={4}>
        <Group gap={4} grow>
          <Select
            label="Adverse event"
            data={AE_CATEGORIES}
            allowDeselect={false}
            {...form.getInputProps('category')}
          />
          <Select
            label="Severity"
            data={['mild', 'moderate', 'severe']}
            allowDeselect={false}
            {...form.getInputProps('severity')}
          />
        </Group>
        <Group gap={4} grow>
          <Select
            label="Action taken"
            data={['none', 'observed', 'paused', 'stopped', 'medication-given', 'escalated-emergency']}
            allowDeselect={false}
            {...form.getInputProps('actionTaken')}
          />
          <TextInput label="Description" {...form.getInputProps('description')} />
        </Group>
        <Group gap={4} grow align="flex-end">
          <RangeNumberInput
            label="Onset (min)"
            description="Empty = now"
            {...form.getInputProps('onsetMin')}
            min={-240}
          />
          <Select
            label="Escalation"
            data={AE_ESCALATION}
            allowDeselect={false}
            {...form.getInputProps('escalation')}
          />
        </Group>
        <Checkbox
          label="Serious adverse event (death, life-threatening, hospitalisation, disability or other important medical event)"
          {...form.getInputProps('serious', { type: 'checkbox' })}
        />
        <Button size="xs" variant="light" type="submit" loading={pending}>
          Record adverse event
        </Button>
        {message && <Alert color="red">{message}</Alert>}
      </Stack>
    </form>
  );
}
