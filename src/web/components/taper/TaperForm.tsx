import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
} from '@mantine/core';
import { ClinicDateInput } from '../../dates';
import { useClinicToday } from '../../auth';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { EVIDENCE_LABEL, type TaperCreateBody, type TaperReference, type TaperStart } from './types';
import { RangeNumberInput } from '../RangeNumberInput';
import { evidenceWords } from '../EvidenceBadge';

/** The form a prescriber fills to plan a taper. The server computes the schedule. */
export function TaperForm({
  reference,
  courseSessionDates = [],
  medications = [],
  onSubmit,
  onCancel,
}: {
  reference: TaperReference;
  /** Dates of the patient's scheduled ketamine sessions (their courses), to align the taper with. */
  courseSessionDates?: string[];
  /** The patient's current medications: choosing one fills the drug and the daily dose. */
  medications?: TaperStart[];
  onSubmit(body: TaperCreateBody): Promise<void>;
  onCancel?: () => void;
}) {
  const [drug, setDrug] = useState<string | null>(null);
  const [fromMedication, setFromMedication] = useState<TaperStart | null>(null);
  const [modelId, setModelId] = useState<string | null>(null);
  const [dose, setDose] = useState<number | string>('');
  const [mode, setMode] = useState<'occupancy' | 'proportional'>('occupancy');
  const [step, setStep] = useState<number | string>(10);
  const [intervalDays, setIntervalDays] = useState<number | string>(28);
  const today = useClinicToday();
  const [startDate, setStartDate] = useState(today);
  const [infusions, setInfusions] = useState<string[]>(courseSessionDates);
  const [market, setMarket] = useState<string>('any');
  const [shortTerm, setShortTerm] = useState(false);
  const [release, setRelease] = useState<string>('current');
  const [dosesPerDay, setDosesPerDay] = useState<string>('label');
  const [compounding, setCompounding] = useState(true);
  const [noChangeHours, setNoChangeHours] = useState<number | string>(
    reference.defaults.noChangeHoursBeforeInfusion,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: onSubmit,
    onError: (err) => {
      if (err instanceof ApiError) {
        const byField: Record<string, string> = {};
        // The plan's nested request fields are shown on the inputs that set them.
        for (const [k, v] of Object.entries(err.fieldErrors())) {
          const key = k.startsWith('infusionDates')
            ? 'infusionDates'
            : k.startsWith('infusionSpacing') || k === 'noChangeHoursBeforeInfusion'
              ? 'noChangeHours'
              : k === 'stepPct' || k === 'stepPp'
                ? 'step'
                : k;
          byField[key] ??= v;
        }
        setErrors(byField);
        setMessage(err.message);
      } else {
        setMessage('Could not reach the server.');
      }
    },
  });

  const selected = reference.drugs.find((d) => d.name === drug);
  const models = selected?.occupancyModels ?? [];
  const hasModel = models.length > 0;
  const effectiveMode = hasModel ? mode : 'proportional';
  const isBzd = selected?.taperClass === 'benzodiazepine';

  function chooseDrug(v: string | null) {
    setDrug(v);
    setModelId(null);
    const d = reference.drugs.find((x) => x.name === v);
    if (d && d.occupancyModels.length === 0) setMode('proportional');
  }

  function chooseMedication(id: string | null) {
    const m = medications.find((x) => x.medicationId === id) ?? null;
    setFromMedication(m);
    if (!m) return;
    if (m.drug) chooseDrug(m.drug);
    setDose(m.startDoseMg ?? '');
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setMessage(null);
    if (!drug) {
      setErrors({ drug: 'choose a drug' });
      return;
    }
    const body = {
      drug,
      startDoseMg: Number(dose),
      mode: effectiveMode,
      ...(effectiveMode === 'occupancy' ? { stepPp: Number(step) } : { stepPct: Number(step) }),
      intervalDays: Number(intervalDays),
      startDate,
      ...(effectiveMode === 'occupancy' && models.length > 1 && modelId ? { modelId } : {}),
      ...(isBzd && shortTerm ? { shortTermBzdUse: true } : {}),
      ...(market === 'any' ? {} : { forms: { market: market as 'US' | 'UK' } }),
      ...(release === 'current' ? {} : { release }),
      ...(dosesPerDay === 'label' ? {} : { dosesPerDay: Number(dosesPerDay) }),
      ...(compounding ? {} : { allowCompounding: false }),
      infusionDates: infusions,
      infusionSpacing: { noChangeHoursBeforeInfusion: Number(noChangeHours) },
    } as TaperCreateBody;
    save.mutate(body);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Plan a taper">
      <Stack>
        {medications.length > 0 && (
          <div>
            <Select
              label="From the medication list"
              placeholder="Choose a current medication"
              clearable
              data={medications.map((m) => ({
                value: m.medicationId,
                label: [m.name, m.dose !== null ? `${m.dose} ${m.doseUnit ?? ''}`.trim() : null, m.frequency]
                  .filter(Boolean)
                  .join(' · '),
              }))}
              value={fromMedication?.medicationId ?? null}
              onChange={chooseMedication}
            />
            {fromMedication && (
              <Text size="xs" c="dimmed" mt={4} data-testid="taper-from-medication">
                {fromMedication.startDoseMg !== null
                  ? `${fromMedication.name}: ${fromMedication.dose} ${fromMedication.doseUnit} × ${fromMedication.dosesPerDay} a day = ${fromMedication.startDoseMg} mg a day.`
                  : `${fromMedication.name}: enter the daily dose.`}{' '}
                {fromMedication.notes.map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}.`).join(' ')}
              </Text>
            )}
          </div>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Drug"
            placeholder="Choose"
            searchable
            data={[
              {
                group: 'Antidepressants',
                items: reference.drugs.filter((d) => d.taperClass === 'antidepressant').map((d) => d.name),
              },
              {
                group: 'Benzodiazepines',
                items: reference.drugs.filter((d) => d.taperClass === 'benzodiazepine').map((d) => d.name),
              },
            ]}
            value={drug}
            onChange={chooseDrug}
            error={errors.drug}
            required
          />
          <RangeNumberInput
            label="Current dose (mg a day)"
            min={0}
            decimalScale={3}
            value={dose}
            onChange={setDose}
            error={errors.startDoseMg}
            required
          />
          <ClinicDateInput
            label="Start date"
            value={startDate}
            onChange={setStartDate}
            error={errors.startDate}
            required
          />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Step pattern
          </Text>
          <SegmentedControl
            aria-label="Step pattern"
            value={effectiveMode}
            onChange={(v) => {
              setMode(v as 'occupancy' | 'proportional');
              setStep(10);
            }}
            data={[
              { value: 'occupancy', label: 'Equal occupancy steps', disabled: !!selected && !hasModel },
              { value: 'proportional', label: 'Proportional cuts' },
            ]}
          />
          {selected && !hasModel && (
            <Text size="xs" c="dimmed" mt={4}>
              No occupancy model for {selected.name}: proportional cuts of the most recent dose.
            </Text>
          )}
        </div>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <RangeNumberInput
            label={
              effectiveMode === 'occupancy'
                ? 'Step (percentage points of occupancy)'
                : 'Step (% of the last dose)'
            }
            min={0}
            decimalScale={2}
            value={step}
            onChange={setStep}
            error={errors.step}
            required
          />
          <RangeNumberInput
            label="Interval (days, 14–28)"
            min={reference.defaults.intervalDays.min}
            max={reference.defaults.intervalDays.max}
            value={intervalDays}
            onChange={setIntervalDays}
            error={errors.intervalDays}
            required
          />
          <Select
            label="Products from"
            data={[
              { value: 'any', label: 'Any market' },
              { value: 'US', label: 'US' },
              { value: 'UK', label: 'UK' },
            ]}
            value={market}
            onChange={(v) => setMarket(v ?? 'any')}
            allowDeselect={false}
          />
          <Select
            label="Release form the patient takes"
            data={[
              { value: 'current', label: 'As the current dose is made' },
              { value: 'IR', label: 'Immediate release (IR)' },
              { value: 'ER', label: 'Extended release (ER/XR)' },
              { value: 'CR', label: 'Controlled release (CR)' },
              { value: 'DR', label: 'Delayed release (DR)' },
              { value: 'ODT', label: 'Orally disintegrating (ODT)' },
            ]}
            value={release}
            onChange={(v) => setRelease(v ?? 'current')}
            error={errors.release}
            allowDeselect={false}
          />
          <Select
            label="Doses a day"
            description="How many times a day the patient takes it now"
            data={[
              { value: 'label', label: 'Usual for the product' },
              { value: '1', label: 'Once a day' },
              { value: '2', label: 'Twice a day' },
              { value: '3', label: 'Three times a day' },
              { value: '4', label: 'Four times a day' },
            ]}
            value={dosesPerDay}
            onChange={(v) => setDosesPerDay(v ?? 'label')}
            error={errors.dosesPerDay}
            allowDeselect={false}
          />
        </SimpleGrid>
        <Checkbox
          label="Compounded doses allowed when no product gives the next dose (otherwise the plan ends before zero with the reason)"
          checked={compounding}
          onChange={(e) => setCompounding(e.currentTarget.checked)}
        />
        {effectiveMode === 'occupancy' && models.length > 0 && (
          <Group gap="xs" align="flex-end">
            {models.length > 1 ? (
              <Select
                label="Occupancy model (brain region)"
                data={models.map((m) => ({ value: m.id, label: `${m.region} (${evidenceWords(m.status)})` }))}
                value={modelId}
                onChange={setModelId}
                error={errors.modelId}
                w={280}
              />
            ) : (
              <Text size="sm">Occupancy model: {models[0]!.id}</Text>
            )}
            {models.some((m) => m.status !== 'V') && (
              <Badge color="yellow" variant="light" title={EVIDENCE_LABEL.S}>
                Parameters from a secondary source
              </Badge>
            )}
          </Group>
        )}
        {isBzd && (
          <Checkbox
            label="Taken daily for less than 3 months (allows steps above 10 %, ASAM 2025)"
            checked={shortTerm}
            onChange={(e) => setShortTerm(e.currentTarget.checked)}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TagsInput
            label="Planned ketamine infusion dates"
            description={
              courseSessionDates.length > 0
                ? `Filled from the patient's scheduled ketamine sessions (${courseSessionDates.length}); edit if needed. YYYY-MM-DD, Enter after each.`
                : 'No course scheduled for this patient: enter dates by hand (YYYY-MM-DD, Enter after each).'
            }
            placeholder="2026-02-02"
            value={infusions}
            onChange={setInfusions}
            error={errors.infusionDates}
            style={{ gridColumn: 'span 2' }}
          />
          <RangeNumberInput
            label="No dose change within (hours before an infusion)"
            description="Clinic default 48 h (a design default, not a published value)"
            min={0}
            max={336}
            value={noChangeHours}
            onChange={setNoChangeHours}
            error={errors.noChangeHours}
          />
        </SimpleGrid>
        {message && (
          <Alert color="red" title="The plan could not be made">
            {message}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Create plan
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
