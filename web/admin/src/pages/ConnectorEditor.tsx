import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, Connector, ConnectorBody, list, Mapping, MeClaims, Page, Preset, Preview, Transformation, TransformationOption } from '../api';
import { guardLeaving } from '../router';
import { ErrorText, Field, NotSaved } from '../components';

const REQUIRED = new Set(['username', 'displayName', 'email']);
const LABELS: Record<string, string> = { username: 'Username', displayName: 'Full name', email: 'Email', groups: 'Groups' };
const DEFAULT_CLAIMS = { sub: 'sample-user-1', upn: 'a.example@domain.com', email: 'a.example@domain.com', name: 'A Example' };

interface Props {
  connectorId?: string;
  /** Opened right after its first save: say so. */
  justSaved?: boolean;
  draft?: ConnectorBody;
  directoryId?: string;
  preset?: Preset;
}

/** Provisioning settings of a connector (saved or a draft), with a live preview of the unsaved mapping. */
export function ConnectorEditor({ connectorId, justSaved, draft, directoryId, preset }: Props) {
  const [body, setBody] = useState<ConnectorBody | null>(draft ?? null);
  /** The body as last loaded or saved (a draft has none): edits beyond it are unsaved. */
  const [stored, setStored] = useState<string | null>(null);
  /** Mapping rows edited, and whether a save was tried: a row's problems show only then. */
  const [touched, setTouched] = useState<ReadonlySet<number>>(new Set());
  const [triedSaving, setTriedSaving] = useState(false);
  const [saved, setSaved] = useState<Connector | null>(null);
  const [transformations, setTransformations] = useState<Transformation[]>([]);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [claimsText, setClaimsText] = useState(JSON.stringify(preset?.sample.claims ?? DEFAULT_CLAIMS, null, 2));
  const [accessText, setAccessText] = useState(JSON.stringify(preset?.sample.accessClaims ?? {}, null, 2));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [warnings, setWarnings] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(justSaved ? 'Saved' : null);
  const lastPreviewed = useRef<{ claims: Record<string, unknown>; accessClaims: Record<string, unknown> } | null>(null);

  useEffect(() => {
    api<Page<Transformation>>('GET', '/api/user-sync/transformations').then((page) => setTransformations(page.items), setPreviewError);
    api<Page<Preset>>('GET', '/api/user-sync/presets').then((page) => setPresets(page.items), () => undefined);
    if (connectorId) {
      api<Connector>('GET', `/api/user-sync/connectors/${connectorId}`).then((connector) => {
        setSaved(connector);
        const { id: _id, directoryId: _directory, version: _version, stats: _stats, ...rest } = connector;
        setBody(rest);
        setStored(JSON.stringify(rest));
      }, setSaveError);
    }
  }, [connectorId]);

  const dirty = body !== null && JSON.stringify(body) !== stored;
  useEffect(() => {
    guardLeaving(dirty ? () => window.confirm('Leave this connector? Your unsaved changes will be lost.') : null);
    return () => guardLeaving(null);
  }, [dirty]);

  const claims = useMemo(() => parseJson(claimsText), [claimsText]);
  const accessClaims = useMemo(() => parseJson(accessText), [accessText]);

  // Re-evaluated as the unsaved mapping or the claims change (debounced).
  useEffect(() => {
    if (!body) return;
    if (claims instanceof Error || accessClaims instanceof Error) {
      setPreviewError(claims instanceof Error ? claims : accessClaims);
      return;
    }
    const timer = setTimeout(() => {
      api<Preview>('POST', '/api/user-sync/connectors/preview', {
        connector: body,
        claims,
        accessClaims,
        ...(saved && { connectorId: saved.id }),
        ...((saved?.directoryId ?? directoryId) && { directoryId: saved?.directoryId ?? directoryId }),
      }).then(
        (result) => {
          lastPreviewed.current = { claims, accessClaims };
          setPreview(result);
          setPreviewError(null);
        },
        (error) => {
          setPreview(null);
          setPreviewError(error);
        },
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [body, claims, accessClaims, saved, directoryId]);

  if (!body) return <ErrorText error={saveError} />;

  const allProblems = previewError instanceof ApiError ? previewError.fieldProblems() : new Map<string, string>();
  // A new connector's empty rows are not mistakes yet: a row's problems show once it was edited, or a save tried.
  const shown = (key: string) => {
    const row = /^mappings\[(\d+)\]/.exec(key);
    return triedSaving || !row || touched.has(Number(row[1]));
  };
  const problems = new Map([...allProblems].filter(([key]) => shown(key)));
  const previewBlocked = previewError instanceof ApiError && previewError.code === 'VALIDATION_FAILED' && allProblems.size > 0;
  const update = (change: Partial<ConnectorBody>) => setBody({ ...body, ...change });
  const setMapping = (index: number, mapping: Mapping) => {
    setTouched(new Set(touched).add(index));
    update({ mappings: body.mappings.map((current, i) => (i === index ? mapping : current)) });
  };

  const save = async (confirm = false) => {
    setSaveError(null);
    setNotice(null);
    setTriedSaving(true);
    const payload = { ...body, ...(lastPreviewed.current && { checkClaims: lastPreviewed.current }), ...(confirm && { confirm: true }) };
    try {
      if (saved) {
        const result = await api<Connector>('PATCH', `/api/user-sync/connectors/${saved.id}`, payload);
        setSaved(result);
        setStored(JSON.stringify(body));
        setWarnings(null);
        setNotice('Saved');
      } else {
        const result = await api<Connector>('POST', '/api/user-sync/connectors', directoryId ? { ...payload, directoryId } : { ...payload, createDirectory: true });
        setWarnings(null);
        guardLeaving(null);
        window.location.hash = `#/connectors/${encodeURIComponent(result.id)}?saved`;
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFIRMATION_REQUIRED') setWarnings(error.warnings.length ? error.warnings : [error.message]);
      else setSaveError(error);
    }
  };

  const useOwnClaims = async () => {
    try {
      const mine = await api<MeClaims>('GET', '/api/me/claims');
      setClaimsText(JSON.stringify(mine.claims, null, 2));
      setAccessText(JSON.stringify(mine.accessClaims ?? {}, null, 2));
    } catch (error) {
      setPreviewError(error);
    }
  };

  return (
    <section>
      <h1>{saved ? `Connector ${saved.name}` : `New connector ${body.name}`}: provisioning settings</h1>
      <div className="editor">
        <div className="mapping">
          <div className="row">
            <Field label="Name" required>
              <input value={body.name} onChange={(event) => update({ name: event.target.value })} />
            </Field>
            <Field label="Primary key claim" required>
              <input value={body.primaryKey} onChange={(event) => update({ primaryKey: event.target.value })} />
            </Field>
            <label className="check">
              <input type="checkbox" checked={body.enabled} onChange={(event) => update({ enabled: event.target.checked })} /> Enabled
            </label>
          </div>
          <table className="mappings">
            <thead>
              <tr>
                <th>Attribute</th>
                <th>Claims (in order), or a template (else claims)</th>
                <th>Transformations</th>
                <th>On no match</th>
                <th>Update</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {body.mappings.map((mapping, index) => (
                <MappingRow
                  key={index}
                  index={index}
                  mapping={mapping}
                  transformations={transformations}
                  problems={problems}
                  sample={claims instanceof Error || accessClaims instanceof Error ? null : { claims, accessClaims }}
                  onChange={(next) => setMapping(index, next)}
                  onRemove={REQUIRED.has(mapping.attribute) ? undefined : () => update({ mappings: body.mappings.filter((_, i) => i !== index) })}
                />
              ))}
            </tbody>
          </table>
          <p>
            {!body.mappings.some((mapping) => mapping.attribute === 'groups') && (
              <button onClick={() => update({ mappings: [...body.mappings, { attribute: 'groups', sources: [] }] })}>Map groups</button>
            )}{' '}
            <button
              onClick={() => {
                const name = window.prompt('Custom attribute name (letters, digits, . _ -)');
                if (name) update({ mappings: [...body.mappings, { attribute: `attributes.${name}`, sources: [] }] });
              }}
            >
              Map a custom attribute
            </button>
          </p>
          {problems.get('mappings') && <p className="error">{problems.get('mappings')}</p>}
          <fieldset>
            <legend>Groups</legend>
            <Field label="Always assign (comma-separated)" problem={problems.get('groups.alwaysAssign')}>
              <input
                id="always-assign"
                defaultValue={body.groups.alwaysAssign.join(', ')}
                onChange={(event) => update({ groups: { ...body.groups, alwaysAssign: list(event.target.value) } })}
              />
            </Field>
            {(
              [
                ['removeUnlisted', 'Remove groups this connector granted that the claim no longer lists'],
                ['createMissing', 'Create missing groups'],
                ['allowProtectedGroups', 'Allow protected groups (e.g. the admin group) from claims'],
              ] as const
            ).map(([key, label]) => (
              <label key={key} className="check">
                <input type="checkbox" checked={body.groups[key] ?? false} onChange={(event) => update({ groups: { ...body.groups, [key]: event.target.checked } })} /> {label}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Users</legend>
            {(
              [
                ['updateExisting', 'Update existing users at login'],
                ['reactivateOnLogin', 'Reactivate deactivated users at login'],
                ['refuseLookalikeUsernames', 'Refuse usernames that look like another user\'s'],
              ] as const
            ).map(([key, label]) => (
              <label key={key} className="check">
                <input type="checkbox" checked={body.users[key] ?? false} onChange={(event) => update({ users: { ...body.users, [key]: event.target.checked } })} /> {label}
              </label>
            ))}
          </fieldset>
          {warnings && (
            <NotSaved id="save-warnings" warnings={warnings}>
              <button className="danger" onClick={() => save(true)}>
                Save anyway
              </button>
            </NotSaved>
          )}
          <ErrorText error={saveError} />
          {notice && <p className="notice">{notice}</p>}
          <button className="primary" id="save-connector" onClick={() => save()}>
            Save
          </button>
        </div>
        <aside className="preview" aria-label="Live preview">
          <h2>Live preview</h2>
          <p>
            Sample claims:{' '}
            <select
              aria-label="Sample claims"
              onChange={(event) => {
                const sample = presets.find((candidate) => candidate.id === event.target.value)?.sample;
                if (sample) {
                  setClaimsText(JSON.stringify(sample.claims, null, 2));
                  setAccessText(JSON.stringify(sample.accessClaims ?? {}, null, 2));
                }
              }}
              defaultValue=""
            >
              <option value="">a preset's sample…</option>
              {presets.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>{' '}
            <button onClick={useOwnClaims}>Use my own claims</button>
          </p>
          <Field label="Claims (x-amzn-oidc-data)">
            <textarea id="preview-claims" value={claimsText} onChange={(event) => setClaimsText(event.target.value)} rows={8} />
          </Field>
          <Field label="Access-token claims (access:…)">
            <textarea id="preview-access-claims" value={accessText} onChange={(event) => setAccessText(event.target.value)} rows={3} />
          </Field>
          {previewBlocked ? (
            <p className="note" id="preview-waiting">
              The preview shows once every required attribute has claims or a template{problems.size ? ': see the marked fields' : ''}.
            </p>
          ) : (
            <ErrorText error={previewError} />
          )}
          {preview && <PreviewResult preview={preview} />}
        </aside>
      </div>
    </section>
  );
}

function MappingRow({
  index,
  mapping,
  transformations,
  problems,
  sample,
  onChange,
  onRemove,
}: {
  index: number;
  mapping: Mapping;
  transformations: Transformation[];
  problems: Map<string, string>;
  /** The preview's sample claims, when they parse: sources they lack get a hint. */
  sample: { claims: Record<string, unknown>; accessClaims: Record<string, unknown> } | null;
  onChange(mapping: Mapping): void;
  onRemove?: () => void;
}) {
  const path = `mappings[${index}]`;
  const useTemplate = mapping.template !== undefined;
  const steps = mapping.transformations ?? [];
  const setSteps = (next: Mapping['transformations']) => onChange({ ...mapping, transformations: next?.length ? next : undefined });
  const label = LABELS[mapping.attribute] ?? mapping.attribute;
  return (
    <tr data-attribute={mapping.attribute}>
      <th scope="row">
        {label}
        {REQUIRED.has(mapping.attribute) && <abbr title="required"> *</abbr>}
      </th>
      <td>
        <select
          aria-label={`${label}: source kind`}
          value={useTemplate ? 'template' : 'claims'}
          onChange={(event) =>
            onChange(event.target.value === 'template' ? { ...mapping, sources: undefined, template: '' } : { ...mapping, template: undefined, sources: mapping.sources ?? [] })
          }
        >
          <option value="claims">claims</option>
          <option value="template">template</option>
        </select>
        {useTemplate ? (
          <>
            <input aria-label={`${label}: template`} value={mapping.template} placeholder="e.g. {given_name} {family_name}" onChange={(event) => onChange({ ...mapping, template: event.target.value })} />
            <input
              aria-label={`${label}: else claims`}
              title="used when a claim of the template has no value"
              defaultValue={(mapping.sources ?? []).join(', ')}
              placeholder="else claims, e.g. name"
              onChange={(event) => {
                const sources = list(event.target.value);
                onChange({ ...mapping, sources: sources.length ? sources : undefined });
              }}
            />
          </>
        ) : (
          <input
            aria-label={`${label}: claims`}
            defaultValue={(mapping.sources ?? []).join(', ')}
            placeholder="e.g. upn, email"
            onChange={(event) => onChange({ ...mapping, sources: list(event.target.value) })}
          />
        )}
        {(problems.get(path) || problems.get(`${path}.sources`)) && <small className="error">{problems.get(path) ?? problems.get(`${path}.sources`)}</small>}
        {sample &&
          (mapping.sources ?? []).map((source) => {
            const hint = sourceHint(source, sample);
            return hint && (
              <small key={source} className="hint" data-claim={source}>
                {hint}
              </small>
            );
          })}
      </td>
      <td>
        {steps.map((step, stepIndex) => {
          const spec = transformations.find((candidate) => candidate.type === step.type);
          const problem = problems.get(`${path}.transformations[${stepIndex}]`);
          return (
            <div key={stepIndex} className="step">
              <strong>{step.type}</strong>
              {spec?.options.map((option) => (
                <OptionInput
                  key={option.name}
                  label={`${label}: ${step.type} ${option.name}`}
                  option={option}
                  value={step[option.name]}
                  onChange={(value) => setSteps(steps.map((current, i) => (i === stepIndex ? withOption(current, option.name, value) : current)))}
                />
              ))}
              <button aria-label={`remove ${step.type}`} onClick={() => setSteps(steps.filter((_, i) => i !== stepIndex))}>
                ×
              </button>
              {problem && (
                <small className="error" role="alert">
                  {problem}
                </small>
              )}
            </div>
          );
        })}
        <select aria-label={`${label}: add a transformation`} value="" onChange={(event) => event.target.value && setSteps([...steps, { type: event.target.value }])}>
          <option value="">+ transformation…</option>
          {transformations.map((transformation) => (
            <option key={transformation.type} value={transformation.type} title={transformation.description}>
              {transformation.type}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select aria-label={`${label}: on no match`} value={mapping.onNoMatch ?? 'keep'} onChange={(event) => onChange({ ...mapping, onNoMatch: event.target.value as Mapping['onNoMatch'] })}>
          {['keep', 'ignore', 'clear', 'reject'].map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </td>
      <td>
        <select aria-label={`${label}: update`} value={mapping.update ?? 'always'} onChange={(event) => onChange({ ...mapping, update: event.target.value as Mapping['update'] })}>
          <option value="always">always</option>
          <option value="onCreate">on create</option>
        </select>
      </td>
      <td>{onRemove && <button onClick={onRemove}>Remove</button>}</td>
    </tr>
  );
}

function OptionInput({ label, option, value, onChange }: { label: string; option: TransformationOption; value: unknown; onChange(value: unknown): void }) {
  if (option.type === 'boolean') {
    return (
      <label className="check">
        <input type="checkbox" aria-label={label} checked={value === true} onChange={(event) => onChange(event.target.checked)} /> {option.name}
      </label>
    );
  }
  if (option.type === 'stringMap') {
    return (
      <textarea
        aria-label={label}
        title={option.description}
        placeholder={`${option.name}: {"from": "to"}`}
        defaultValue={value === undefined ? '' : JSON.stringify(value)}
        onChange={(event) => {
          const parsed = parseJson(event.target.value || '{}');
          if (!(parsed instanceof Error)) onChange(parsed);
        }}
      />
    );
  }
  return (
    <input
      aria-label={label}
      title={option.description}
      placeholder={`${option.name}${option.required ? ' *' : ''}`}
      inputMode={option.type === 'integer' ? 'numeric' : undefined}
      defaultValue={value === undefined ? '' : String(value)}
      onChange={(event) => onChange(option.type === 'integer' && /^-?\d+$/.test(event.target.value) ? Number(event.target.value) : event.target.value)}
    />
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  return (
    <div id="preview-result" className={preview.access && !preview.reason ? 'granted' : 'refused'}>
      <p>
        <strong id="preview-decision">{preview.decision}</strong>:{' '}
        {preview.reason ? (
          <span id="preview-reason">
            refused, {preview.reason.message} ({preview.reason.code})
          </span>
        ) : preview.access ? (
          'access granted'
        ) : (
          'access refused'
        )}
      </p>
      {preview.user && (
        <dl>
          <dt>Username</dt>
          <dd id="preview-username">{preview.user.username}</dd>
          <dt>Full name</dt>
          <dd id="preview-display-name">{preview.user.displayName}</dd>
          <dt>Email</dt>
          <dd id="preview-email">{preview.user.email}</dd>
          {Object.entries(preview.user.attributes ?? {}).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          <dt>Groups</dt>
          <dd id="preview-groups">{preview.groups.join(', ') || '—'}</dd>
        </dl>
      )}
      {preview.changes.length > 0 && <p>Would change: {preview.changes.join(', ')}</p>}
      {preview.groupsAdded.length > 0 && <p>Groups added: {preview.groupsAdded.join(', ')}</p>}
      {preview.groupsRemoved.length > 0 && <p>Groups removed: {preview.groupsRemoved.join(', ')}</p>}
      {preview.warnings.length > 0 && (
        <ul className="warnings">
          {preview.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function withOption(step: { type: string; [option: string]: unknown }, name: string, value: unknown) {
  const next = { ...step };
  if (value === '' || value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

function parseJson(text: string): Record<string, unknown> | Error {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new Error('The claims must be a JSON object');
    return parsed as Record<string, unknown>;
  } catch {
    return new Error('The claims are not valid JSON');
  }
}

/** Why a source would give nothing with the sample claims, and how to reach it if the access token has it. */
function sourceHint(source: string, sample: { claims: Record<string, unknown>; accessClaims: Record<string, unknown> }): string | null {
  if (source.startsWith('access:')) {
    const name = source.slice('access:'.length);
    if (claimAt(sample.accessClaims, name) !== undefined) return null;
    return claimAt(sample.claims, name) !== undefined ? `${name} is in the sample claims, not the access token's: write ${name}` : `${name} is not in the sample access-token claims`;
  }
  if (claimAt(sample.claims, source) !== undefined) return null;
  return claimAt(sample.accessClaims, source) !== undefined
    ? `${source} is only in the access token's sample claims: write access:${source}`
    : `${source} is not in the sample claims`;
}

/** A claim by name, or by a dotted path into nested claims. */
function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
