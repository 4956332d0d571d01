import type { components } from './api-schema';

/** The admin API, same origin: the ALB session cookie authenticates; bodies are always JSON. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** CONFIRMATION_REQUIRED: what the request must confirm, one by one. */
    readonly warnings: string[] = [],
  ) {
    super(message);
  }

  /** `field: problem` parts of a VALIDATION_FAILED message, by field path. */
  fieldProblems(): Map<string, string> {
    const problems = new Map<string, string>();
    for (const part of this.message.split('; ')) {
      const match = /^([\w.[\]]+): (.+)$/.exec(part);
      if (match) problems.set(match[1], match[2]);
    }
    return problems;
  }
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data ?? {}) as { code?: string; message?: string | string[]; warnings?: string[] };
    const message = Array.isArray(error.message) ? error.message.join('; ') : (error.message ?? `HTTP ${response.status}`);
    throw new ApiError(response.status, error.code ?? 'HTTP_ERROR', message, Array.isArray(error.warnings) ? error.warnings : []);
  }
  return data as T;
}

/** The API's answers, as its OpenAPI document describes them (api-schema.ts is generated from it). */
type Schemas = components['schemas'];

export interface Page<T> {
  items: T[];
  total: number;
}

export type Mapping = Schemas['MappingView'];
/** A connector as the editor sends it (its body) and as the export gives it. */
export type ConnectorBody = Schemas['ConnectorExportView'];
/** A connector; with its directory's figures when listed. */
export type Connector = Schemas['ConnectorView'] & Partial<Pick<Schemas['ListedConnectorView'], 'stats'>>;
export type Directory = Schemas['DirectoryView'];
export type TransformationOption = Schemas['TransformationOptionView'];
export type Transformation = Schemas['TransformationView'];
export type Preset = Schemas['PresetView'];
export type Preview = Schemas['PreviewView'];
export type Settings = Schemas['AlbSettingsView'];
/** A user; with who granted each group when read alone. */
export type User = Schemas['UserView'] & Partial<Pick<Schemas['UserWithMembershipsView'], 'memberships'>>;
export type Group = Schemas['ListedGroupView'];
export type AuditEvent = Schemas['AuditEventView'];
export type ScimClient = Schemas['ScimClientView'];
export type CreatedScimClient = Schemas['CreatedScimClientView'];
export type CleanupRule = Schemas['CleanupRuleView'];
export type CleanupPreview = Schemas['CleanupPreviewView'];
export type CleanupRunResult = Schemas['CleanupRunResultView'];
export type CleanupRun = Schemas['CleanupRunView'];
export type MeClaims = Schemas['MeClaimsView'];
export type Me = Schemas['MeView'];
export type Dashboard = Schemas['DashboardView'];
export type DashboardBucket = Schemas['ActivityBucketView'];

export const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
