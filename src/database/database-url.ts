export const DEFAULT_DATABASE_URL = 'sqlite:./data/alb-usersync.sqlite';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

/** `sqlite:<path>`, `sqlite::memory:` or `mysql://user:pass@host:port/db` (CONTRACT.md §3). */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new Error('sqlite: needs a path, or :memory:');
    return { type: 'sqlite', path };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('not a valid mysql:// URL');
    }
    if (!parsed.hostname || parsed.pathname.length < 2) {
      throw new Error('mysql:// URL needs a host and a database name');
    }
    return { type: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
  }
  // Never echo the value: it may carry a password.
  throw new Error('must start with sqlite: or mysql://');
}
