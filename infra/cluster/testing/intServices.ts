/**
 * What the cluster's integration tests share: the broker and PostgreSQL the int tier started
 * (test/support/int.globalSetup.cjs) — a test fails loudly, with the reason, when one is missing —
 * and waiting on a condition with a deadline instead of fixed sleeps.
 */

/** Pauses `ms` (between polls, never as a way to wait for an outcome). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every `pollMs` until it holds; throws naming `what` after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, pollMs = 25): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error(`not true after ${timeoutMs} ms: ${what}`);
    await sleep(pollMs);
  }
}

/** The int tier's Kafka brokers; throws (with the harness's reason) when there is none. */
export function requireKafka(): string[] {
  const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  return brokers.split(',');
}

/** The int tier's PostgreSQL URL; throws (with the harness's reason) when there is none. */
export function requirePostgres(): string {
  const url = process.env.PHALANET_TEST_PG_URL;
  if (!url) throw new Error(`no PostgreSQL for the int tests (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`);
  return url;
}
