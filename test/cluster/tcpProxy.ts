/**
 * A TCP proxy the failover suite puts between one node and the broker (`phalanet node
 * --kafka-proxy`), so that it can cut that node off Kafka — and only Kafka: PostgreSQL stays
 * reachable — and heal it again.
 */
import { connect, createServer, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** HOST:PORT to give `--kafka-proxy` */
  readonly address: string;
  /** drops every connection and refuses new ones */
  cut(): void;
  /** accepts connections again */
  heal(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (HOST:PORT) on a free local port. */
export async function tcpProxy(target: string): Promise<TcpProxy> {
  const at = target.lastIndexOf(':');
  const [host, port] = [target.slice(0, at), Number(target.slice(at + 1))];
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect({ host, port });
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy listens on no TCP port');
  return {
    address: `127.0.0.1:${address.port}`,
    cut() {
      cut = true;
      for (const s of open) s.destroy();
    },
    heal() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
