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

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Mapping {
  attribute: string;
  sources?: string[];
  template?: string;
  transformations?: Array<{ type: string; [option: string]: unknown }>;
  onNoMatch?: 'keep' | 'ignore' | 'clear' | 'reject';
  update?: 'always' | 'onCreate';
}

export interface ConnectorBody {
  name: string;
  type: 'jit';
  enabled: boolean;
  primaryKey: string;
  mappings: Mapping[];
  groups: { alwaysAssign: string[]; removeUnlisted: boolean; createMissing: boolean; allowProtectedGroups?: boolean };
  users: { updateExisting: boolean; reactivateOnLogin: boolean; refuseLookalikeUsernames?: boolean };
}

export interface Connector extends ConnectorBody {
  id: string;
  directoryId: string;
  version: number;
  stats?: { users: number; lastLoginAt: string | null };
}

export interface Directory {
  id: string;
  name: string;
  description: string;
  active: boolean;
  position: number;
}

export interface TransformationOption {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'stringMap';
  required: boolean;
  description?: string;
}

export interface Transformation {
  type: string;
  description: string;
  builtIn: boolean;
  options: TransformationOption[];
}

export interface Preset {
  id: string;
  name: string;
  description: string;
  connector: { primaryKey: string; mappings: Mapping[]; groups?: Partial<ConnectorBody['groups']> };
  logoutUrl: string | null;
  notes: string[];
  sample: { claims: Record<string, unknown>; accessClaims?: Record<string, unknown> };
}

export interface Preview {
  user: { username: string; displayName: string; email: string; attributes: Record<string, string> } | null;
  groups: string[];
  access: boolean;
  decision: string;
  reason?: { code: string; message: string };
  changes: string[];
  groupsAdded: string[];
  groupsRemoved: string[];
  groupsProtected: string[];
  warnings: string[];
}

export interface Settings {
  usernameClaim: string;
  userSync: { enabled: boolean; connectorId: string | null };
  accessGroups: string[];
  protectedGroups: string[];
  logout: { deleteSessionCookie: boolean; redirectUrl: string | null };
}

export interface User {
  id: string;
  directoryId: string;
  username: string;
  displayName: string;
  email: string;
  active: boolean;
  groups: string[];
  attributes: Record<string, string>;
  externalId: string | null;
  lastLoginAt: string | null;
  memberships?: Array<{ group: string; origin: string }>;
}

export interface AuditEvent {
  id: number;
  createdAt: string;
  type: string;
  actor: string;
  connectorId: string | null;
  directoryId: string | null;
  username: string | null;
  details: Record<string, unknown>;
}

export const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
