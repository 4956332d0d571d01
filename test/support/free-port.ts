import { createServer } from 'node:net';

/** Whether this port can be listened on for every interface (a listener on 127.0.0.1 alone makes it taken). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/**
 * A port in [from, to) that is free, with `port + offset` free for every offset too, tried from a
 * random start. Services a child process is told to listen on need this: this machine runs others
 * (NATS on 4222, epmd on 4369, RabbitMQ on 25672) and a random pick once landed on one, so the child
 * died with EADDRINUSE and its test waited a minute for it.
 */
export async function freePort(from: number, to: number, offsets: number[] = []): Promise<number> {
  const size = to - from;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = from + ((start + i) % size);
    if (!(await isPortFree(port))) continue;
    let all = true;
    for (const offset of offsets) if (!(all = await isPortFree(port + offset))) break;
    if (all) return port;
  }
  throw new Error(`no free port in ${from}–${to - 1}${offsets.length ? ` (with +${offsets.join(', +')})` : ''}`);
}
