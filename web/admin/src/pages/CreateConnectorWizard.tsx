import { useEffect, useState } from 'react';
import { api, ConnectorBody, Directory, Page, Preset } from '../api';
import { DirectorySelect, ErrorText, Field } from '../components';
import { ConnectorEditor } from './ConnectorEditor';

export const EMPTY_MAPPINGS: ConnectorBody['mappings'] = [
  { attribute: 'username', sources: [] },
  { attribute: 'displayName', sources: [] },
  { attribute: 'email', sources: [] },
];

/** The set-up's first step: type, directory (a new empty one recommended), start (empty or a preset), primary key. */
export function CreateConnectorWizard() {
  const [directories, setDirectories] = useState<Directory[]>([]);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [name, setName] = useState('');
  const [newDirectory, setNewDirectory] = useState(true);
  const [directoryId, setDirectoryId] = useState('');
  const [presetId, setPresetId] = useState('');
  const [primaryKey, setPrimaryKey] = useState('sub');
  const [draft, setDraft] = useState<{ body: ConnectorBody; directoryId?: string; preset?: Preset } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Page<Directory>>('GET', '/api/user-sync/directories?limit=100').then((page) => setDirectories(page.items), setError);
    api<Page<Preset>>('GET', '/api/user-sync/presets').then((page) => setPresets(page.items), setError);
  }, []);

  if (draft) return <ConnectorEditor draft={draft.body} directoryId={draft.directoryId} preset={draft.preset} />;

  const next = () => {
    if (!name.trim()) return setError(new Error('Give the connector a name'));
    if (!newDirectory && !directoryId) return setError(new Error('Choose a directory, or create a new one'));
    const preset = presets.find((candidate) => candidate.id === presetId);
    setDraft({
      directoryId: newDirectory ? undefined : directoryId,
      preset,
      body: {
        name: name.trim(),
        type: 'jit',
        enabled: true,
        primaryKey: primaryKey.trim() || 'sub',
        mappings: structuredClone(preset?.connector.mappings ?? EMPTY_MAPPINGS),
        groups: { alwaysAssign: [], removeUnlisted: false, createMissing: true, allowProtectedGroups: false, ...preset?.connector.groups },
        users: { updateExisting: true, reactivateOnLogin: false, refuseLookalikeUsernames: false },
      },
    });
  };

  return (
    <section className="narrow">
      <h1>Create connector</h1>
      <fieldset>
        <legend>1. Type</legend>
        <label>
          <input type="radio" name="type" defaultChecked /> Just-in-time: users are created and updated from the ALB's claims when they sign in
        </label>
      </fieldset>
      <Field label="Name" required>
        <input id="connector-name" value={name} onChange={(event) => setName(event.target.value)} />
      </Field>
      <fieldset>
        <legend>2. Directory</legend>
        <label>
          <input type="radio" name="directory" id="new-directory" checked={newDirectory} onChange={() => setNewDirectory(true)} /> Create a new empty
          directory for this connector (recommended)
        </label>
        <label>
          <input type="radio" name="directory" id="existing-directory" checked={!newDirectory} onChange={() => setNewDirectory(false)} /> Use an existing
          directory:{' '}
          <DirectorySelect directories={directories} value={directoryId} onChange={setDirectoryId} disabled={newDirectory} />
        </label>
      </fieldset>
      <fieldset>
        <legend>3. Start from</legend>
        <select id="preset" aria-label="Start from: empty mappings or an IdP preset" value={presetId} onChange={(event) => setPresetId(event.target.value)}>
          <option value="">Empty mappings</option>
          {presets.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.name} preset
            </option>
          ))}
        </select>
        {presets.find((preset) => preset.id === presetId)?.notes.map((note) => <p key={note} className="note">{note}</p>)}
      </fieldset>
      <Field label="4. Primary key claim (identifies a user across renames)" required>
        <input id="primary-key" value={primaryKey} onChange={(event) => setPrimaryKey(event.target.value)} />
      </Field>
      <ErrorText error={error} />
      <button className="primary" id="wizard-next" onClick={next}>
        Next: provisioning settings
      </button>
    </section>
  );
}
