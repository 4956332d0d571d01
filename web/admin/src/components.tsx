import { ReactNode } from 'react';
import { ApiError } from './api';

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

export function Field({ label, children, problem, required }: { label: string; children: ReactNode; problem?: string; required?: boolean }) {
  return (
    <label className="field">
      <span>
        {label}
        {required && <abbr title="required"> *</abbr>}
      </span>
      {children}
      {problem && (
        <small className="error" role="alert">
          {problem}
        </small>
      )}
    </label>
  );
}

export function formatTime(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString() : '—';
}

/** A directory chooser: written once for the connector wizard and the SCIM clients. */
export function DirectorySelect({ directories, value, onChange, disabled }: { directories: Array<{ id: string; name: string }>; value: string; onChange: (id: string) => void; disabled?: boolean }) {
  return (
    <select value={value} onChange={(event) => onChange(event.target.value)} disabled={disabled}>
      <option value="">—</option>
      {directories.map((directory) => (
        <option key={directory.id} value={directory.id}>
          {directory.name}
        </option>
      ))}
    </select>
  );
}

/** A save refused with 422 CONFIRMATION_REQUIRED: what it would do, and the choices to go ahead. */
export function NotSaved({ id, warnings, children }: { id: string; warnings: string[]; children: ReactNode }) {
  return (
    <div className="warning" role="alert" id={id}>
      <p>Not saved:</p>
      <ul>
        {warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
      {children}
    </div>
  );
}
