/**
 * The servers a local cluster needs when the user gives no URLs: a throw-away PostgreSQL
 * (`scripts/postgres.cjs`) and a single-node Kafka broker (`scripts/kafka.cjs`), the same
 * scripts the test harness uses. Their state files live in the cluster's directory, so
 * `cluster down` stops exactly what `cluster up` started (by pid), and removes their data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The phalanet package's root (this file runs from `infra/…` in tests and `dist/infra/…` built). */
export function packageRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name"\s*:\s*"phalanet"/.test(readFileSync(pkg, 'utf8'))) return dir;
  }
  throw new Error(`cluster: cannot find the phalanet package above ${__dirname}`);
}

interface ServiceScript {
  start(stateFile: string): Promise<Record<string, unknown>>;
  stop(stateFile: string): Promise<void>;
}

function script(name: 'postgres' | 'kafka'): ServiceScript {
  // the provisioning scripts are plain CommonJS outside the compiled tree: load them by path
  return require(join(packageRoot(), 'scripts', `${name}.cjs`)) as ServiceScript;
}

/** Where the cluster's services keep their state files. */
export const servicesDirOf = (dir: string): string => join(dir, 'services');

/** The state files of the cluster's own PostgreSQL and Kafka (known before they start, so a failed start can be cleaned). */
export const serviceStateFiles = (dir: string) => ({ postgres: join(servicesDirOf(dir), 'postgres.json'), kafka: join(servicesDirOf(dir), 'kafka.json') });

/** Starts PostgreSQL; resolves to its state file and a store URL with the cluster's schema. */
export async function startPostgres(dir: string): Promise<{ stateFile: string; url: string }> {
  const stateFile = serviceStateFiles(dir).postgres;
  const started = await script('postgres').start(stateFile);
  if (typeof started.url !== 'string') throw new Error('cluster: scripts/postgres.cjs started no server URL');
  return { stateFile, url: `${started.url}?schema=cluster` };
}

/** Starts a Kafka broker; resolves to its state file and `HOST:PORT`. */
export async function startKafka(dir: string): Promise<{ stateFile: string; brokers: string }> {
  const stateFile = serviceStateFiles(dir).kafka;
  const started = await script('kafka').start(stateFile);
  if (typeof started.brokers !== 'string') throw new Error('cluster: scripts/kafka.cjs started no broker');
  return { stateFile, brokers: started.brokers };
}

/** Stops what the state files describe (a missing file is nothing to stop). */
export async function stopServices(services: { readonly postgres: string | null; readonly kafka: string | null }): Promise<void> {
  await Promise.all([
    services.postgres === null ? undefined : script('postgres').stop(services.postgres),
    services.kafka === null ? undefined : script('kafka').stop(services.kafka),
  ]);
}
