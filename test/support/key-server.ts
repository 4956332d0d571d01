import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback ALB public-key endpoint: serves `<base>/<kid>` as PEM, and an IdP's JWKS at
 * `<base>/jwks.json` (the `jwks` list); counts every request by path.
 */
export class KeyServer {
  readonly keys = new Map<string, string>();
  readonly jwks: Record<string, unknown>[] = [];
  readonly hits = new Map<string, number>();
  down = false;
  delayMs = 0;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const kid = decodeURIComponent((request.url ?? '/').slice(1));
      this.hits.set(kid, (this.hits.get(kid) ?? 0) + 1);
      const reply = () => {
        if (this.down) {
          response.writeHead(500).end('down');
          return;
        }
        if (kid === 'jwks.json') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.jwks }));
          return;
        }
        const pem = this.keys.get(kid);
        if (!pem) response.writeHead(404).end('no such key');
        else response.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
      };
      if (this.delayMs) setTimeout(reply, this.delayMs);
      else reply();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  add(kid: string, pem: string): this {
    this.keys.set(kid, pem);
    return this;
  }

  get jwksUrl(): string {
    return `${this.url}/jwks.json`;
  }

  totalHits(): number {
    return [...this.hits.values()].reduce((sum, count) => sum + count, 0);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
