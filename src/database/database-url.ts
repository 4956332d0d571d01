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

/**
 * DATABASE_URL with DATABASE_PASSWORD as its password: a deployment that keeps the password in a
 * secret store hands it over on its own (ECS secrets), never written into the URL's configuration.
 */
export function withDatabasePassword(config: DatabaseConfig, password: string | undefined): DatabaseConfig {
  if (password === undefined) return config;
  if (config.type !== 'mysql') throw new Error('needs a mysql:// DATABASE_URL');
  const url = new URL(config.url);
  if (url.password) throw new Error('DATABASE_URL already holds a password: give it in one place');
  if (!url.username) throw new Error('DATABASE_URL names no user for it');
  url.password = encodeURIComponent(password);
  return { type: 'mysql', url: url.toString() };
}
