import { useEffect, useState } from 'react';
import { api, Dashboard, DashboardBucket } from '../api';
import { ErrorText, formatTime } from '../components';

type Range = 'hours' | 'days';
type Series = 'signedIn' | 'firstLogins' | 'refusals';

const SERIES: Array<{ key: Series; title: string; id: string; colour: string; audit?: string }> = [
  { key: 'signedIn', title: 'Sign-ins (distinct users per bucket)', id: 'signed-in', colour: '#232f3e' },
  { key: 'firstLogins', title: 'First logins (users provisioned)', id: 'first-logins', colour: '#1d6f42', audit: 'type=user.created&actor=login' },
  { key: 'refusals', title: 'Refused logins', id: 'refusals', colour: '#b00020', audit: 'type=login.refused' },
];

/** The landing page: the sign-in path at a glance, from GET /api/user-sync/dashboard (refreshed every 30 s). */
export function DashboardPage() {
  const [board, setBoard] = useState<Dashboard | null>(null);
  const [range, setRange] = useState<Range>('hours');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const load = () => api<Dashboard>('GET', '/api/user-sync/dashboard').then((loaded) => (setBoard(loaded), setError(null)), setError);
    void load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, []);

  if (!board) return <ErrorText error={error} />;
  const buckets = board[range];
  const since = range === 'hours' ? `${buckets[0].bucket.replace(' ', 'T')}:00:00Z` : `${buckets[0].bucket}T00:00:00Z`;
  const total = (key: Series) => buckets.reduce((sum, bucket) => sum + bucket[key], 0);
  return (
    <section id="dashboard">
      <div className="row">
        <h1>Dashboard</h1>
        <div className="tabs" role="group" aria-label="Period">
          <button className={range === 'hours' ? 'current' : undefined} aria-pressed={range === 'hours'} onClick={() => setRange('hours')}>
            Last 24 hours
          </button>
          <button className={range === 'days' ? 'current' : undefined} aria-pressed={range === 'days'} onClick={() => setRange('days')}>
            Last 14 days
          </button>
        </div>
      </div>
      <ErrorText error={error} />
      <div className="charts">
        {SERIES.map((series) => (
          <figure key={series.key} className="chart">
            <figcaption>
              {series.title}: <strong id={`total-${series.id}`}>{total(series.key)}</strong>
              {series.audit && (
                <>
                  {' '}
                  <a href={`#/audit?${series.audit}&since=${encodeURIComponent(since)}`}>in the audit log</a>
                </>
              )}
            </figcaption>
            <BarChart buckets={buckets} series={series.key} colour={series.colour} label={`${series.title}, ${range === 'hours' ? 'per hour, last 24 hours' : 'per day, last 14 days'} (UTC)`} />
          </figure>
        ))}
      </div>
      <div className="panels">
        <div>
          <h2>Refusals by reason, last 14 days</h2>
          {board.refusalsByCode.length === 0 ? (
            <p className="note">None.</p>
          ) : (
            <table id="refusals-by-code">
              <tbody>
                {board.refusalsByCode.map((entry) => (
                  <tr key={entry.code} data-code={entry.code}>
                    <td>
                      <code>{entry.code}</code>
                    </td>
                    <td className="count">{entry.count}</td>
                    <td className="meter">
                      <span style={{ width: `${(100 * entry.count) / board.refusalsByCode[0].count}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h2>Directories</h2>
          <table id="directory-sizes">
            <thead>
              <tr>
                <th>Directory</th>
                <th>Users</th>
                <th>Active</th>
                <th>Groups</th>
              </tr>
            </thead>
            <tbody>
              {board.directories.map((directory) => (
                <tr key={directory.id}>
                  <td>
                    <a href={`#/directories/${directory.id}`}>{directory.name}</a>
                    {!directory.active && <span className="note"> (inactive)</span>}
                  </td>
                  <td className="count">{directory.users}</td>
                  <td className="count">{directory.activeUsers}</td>
                  <td className="count">{directory.groups}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <h2>Last cleanup runs</h2>
      {board.cleanupRuns.length === 0 ? (
        <p className="note">No cleanup rule has run yet.</p>
      ) : (
        <table id="cleanup-runs">
          <thead>
            <tr>
              <th>Started</th>
              <th>Rule</th>
              <th>Trigger</th>
              <th>Users affected</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {board.cleanupRuns.map((run) => (
              <tr key={run.id}>
                <td>{formatTime(run.startedAt)}</td>
                <td>{run.directoryId ? <a href={`#/directories/${run.directoryId}`}>{run.ruleName}</a> : <span className="note">(deleted rule)</span>}</td>
                <td>{run.trigger}</td>
                <td className="count">{run.affected}</td>
                <td>{run.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="note">Updated {formatTime(board.generatedAt)}; buckets are UTC hours and days.</p>
    </section>
  );
}

/** Bars drawn in SVG, one per bucket; each bar's title gives its bucket and count. */
function BarChart({ buckets, series, colour, label }: { buckets: DashboardBucket[]; series: Series; colour: string; label: string }) {
  const width = 480;
  const height = 120;
  const top = Math.max(1, ...buckets.map((bucket) => bucket[series]));
  const slot = width / buckets.length;
  return (
    <svg viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label={label} preserveAspectRatio="none">
      <line x1="0" y1={height} x2={width} y2={height} stroke="#aab7b8" />
      {buckets.map((bucket, index) => {
        const barHeight = (height - 4) * (bucket[series] / top);
        return (
          <rect key={bucket.bucket} x={index * slot + slot * 0.15} y={height - barHeight} width={slot * 0.7} height={barHeight} fill={colour}>
            <title>{`${bucket.bucket}: ${bucket[series]}`}</title>
          </rect>
        );
      })}
      <text x="0" y={height + 14} fontSize="11" fill="#545b64">
        {buckets[0].bucket}
      </text>
      <text x={width} y={height + 14} fontSize="11" fill="#545b64" textAnchor="end">
        {buckets[buckets.length - 1].bucket} · max {top}
      </text>
    </svg>
  );
}
