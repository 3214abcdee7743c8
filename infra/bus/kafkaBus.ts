/**
 * The Bus port on Apache Kafka (ARCHITECTURE.md §6, issue 8), through kafkajs 2.2.4. This is the
 * only file that imports kafkajs (a dependency-cruiser rule): kafkajs is unmaintained since 2023,
 * so a switch to another client should touch this file alone.
 *
 * Semantics on top of kafkajs:
 * * topics are created through the admin client with a fixed partition count; an existing topic
 *   with another count is refused;
 * * keys go to partitions by kafkajs's Java-compatible partitioner (murmur2, like the simulated
 *   bus); `publish` resolves after every in-sync replica has the messages (acks = -1) from an
 *   idempotent producer;
 * * the message id travels in the `phalanet.id` header;
 * * offsets are committed by hand, only after `onMessage` resolved; a rejection pauses the
 *   partition, rewinds to the failed message and resumes after a backoff (the later messages of
 *   that partition wait); an `Undecodable` rejection moves the message to the dead-letter topic
 *   with its source position and reason, then commits it;
 * * `assignment()` reports the partitions of the latest group join once the member has fetched
 *   after it, i.e. once its start positions are resolved: a message published after a caller
 *   saw the assignment is never skipped by a group that starts at the end (`fromBeginning: false`).
 *
 * `consumePlaced` is the cluster's partition-aware consumer (`infra/cluster/placementSource.ts`):
 * a sticky assigner keyed by node id (`infra/cluster/placementProtocol.ts` decides, this file
 * moves the bytes), new partitions paused until the host has claimed and restored them and said
 * where they start, and a partition the host lost to fencing stopped on the spot.
 */
import { connect } from 'node:net';
import { type Admin, AssignerProtocol, type Batch, type ISocketFactory, type Consumer as KafkaConsumer, Kafka, type KafkaMessage, logLevel, type PartitionAssigner, Partitioners, type Producer } from 'kafkajs';
import { type Bus, type BusMessage, type Consumer, type ConsumerOptions, type DeliveredMessage, type TopicSpec, Undecodable } from '../../domain/ports/bus';
import { assignGroup, decodeMemberState, encodeMemberState, type MemberState } from '../cluster/placementProtocol';
import type { PlacedConsumer, PlacedConsumerOptions } from '../cluster/placementSource';
import { type PlacementTracker, placementTracker } from '../cluster/placementTracker';

/**
 * The consumer session timeout of `phalanet node`'s roles: how long a dead node keeps its
 * partitions before the group moves them (issue 8: ≤ 10 s per moved partition). 6 s is the
 * broker's default `group.min.session.timeout.ms`, the shortest it accepts; heartbeats go every
 * 500 ms, so a live node's processing loop has seconds of slack.
 */
export const NODE_SESSION_TIMEOUT_MS = 6_000;

/** One line of kafkajs's own logging, handed to the caller's logger */
export interface KafkaLogEntry {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly namespace: string;
  readonly message: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** How to reach the cluster and how eager the clients are */
export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** where undecodable messages go; default `phalanet.dead-letter` (one partition, created on first use) */
  readonly deadLetterTopic?: string;
  /** replication factor of created topics; default -1 (the broker's `default.replication.factor`) */
  readonly replicationFactor?: number;
  /** receives kafkajs's warnings and errors; default: silence (kafkajs is noisy) */
  readonly log?: (entry: KafkaLogEntry) => void;
  /** longest wait of an empty fetch; default 200 ms (also how soon a new member sees its assignment) */
  readonly maxWaitTimeMs?: number;
  /** default 500 ms: how soon a member notices a rebalance */
  readonly heartbeatIntervalMs?: number;
  /** default 10 000 ms (`phalanet node` uses {@link NODE_SESSION_TIMEOUT_MS}) */
  readonly sessionTimeoutMs?: number;
  /** first wait before a failed message is redelivered, doubled per failure up to 5 s; default 100 ms */
  readonly redeliveryBackoffMs?: number;
  /** partitions whose batches one consumer handles at once; default 1 (4 for `consumePlaced`) */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * HOST:PORT of a TCP proxy every broker connection dials instead of the broker's advertised
   * address (a one-broker cluster behind a tunnel, or the failover suite cutting one node off)
   */
  readonly proxy?: string | undefined;
}

/** A failure of the Kafka bus; `retriable` follows kafkajs's error model */
export class KafkaBusError extends Error {
  override readonly name = 'KafkaBusError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** header carrying `BusMessage.id` */
export const ID_HEADER = 'phalanet.id';
/** headers a dead-lettered message gets, besides its own */
export const DEAD_LETTER_HEADERS = {
  topic: 'phalanet.dead-letter.topic',
  partition: 'phalanet.dead-letter.partition',
  offset: 'phalanet.dead-letter.offset',
  reason: 'phalanet.dead-letter.reason',
  group: 'phalanet.dead-letter.group',
} as const;

const levels: Record<number, KafkaLogEntry['level']> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs's socket factory dialing `proxy` (HOST:PORT) for every broker connection. */
function proxiedSockets(proxy: string): ISocketFactory {
  const at = proxy.lastIndexOf(':');
  const host = proxy.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(proxy.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) throw new KafkaBusError(`kafka: proxy "${proxy}" is not HOST:PORT`, false);
  return ({ onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 30_000);
    return socket;
  };
}

function kafkaClient(options: KafkaBusOptions, retries = 5): Kafka {
  const sink = options.log;
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...(options.proxy === undefined ? {} : { socketFactory: proxiedSockets(options.proxy) }),
    retry: { retries, initialRetryTime: 100 },
    logLevel: sink === undefined ? logLevel.NOTHING : logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      sink?.({ level: levels[entry.level] ?? 'info', namespace: entry.namespace, message, extra });
    },
  });
}

/** Wraps anything kafkajs throws into `KafkaBusError` (keeping its `retriable`); ours pass through. */
function wrap(what: string, error: unknown): Error {
  if (error instanceof KafkaBusError || error instanceof Undecodable) return error;
  const retriable = typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true;
  const reason = error instanceof Error ? error.message : String(error);
  return new KafkaBusError(`kafka: ${what}: ${reason}`, retriable, { cause: error });
}

async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw wrap(what, error);
  }
}

/** Runs `create` once, again after a failure */
function lazily<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** Creates missing topics; refuses an existing topic whose partition count differs. */
async function ensureTopicsWith(admin: Admin, topics: readonly TopicSpec[], replicationFactor: number): Promise<void> {
  const wanted = new Map<string, number>();
  for (const t of topics) {
    if (!Number.isInteger(t.partitions) || t.partitions < 1) throw new KafkaBusError(`topic ${t.name}: ${t.partitions} partitions is not a positive integer`, false);
    const seen = wanted.get(t.name);
    if (seen !== undefined && seen !== t.partitions) throw new KafkaBusError(`topic ${t.name} asked for with ${seen} and ${t.partitions} partitions`, false);
    wanted.set(t.name, t.partitions);
  }
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted].filter(([name]) => !existing.has(name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor })),
    });
  }
  // check every topic, the ones just created too: a concurrent creator may have won the race
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...wanted.keys()] });
  for (const t of metadata) {
    const asked = wanted.get(t.name);
    if (asked !== undefined && t.partitions.length !== asked) {
      throw new KafkaBusError(`topic ${t.name} exists with ${t.partitions.length} partitions, asked for ${asked} partitions`, false);
    }
  }
}

const utf8 = new TextDecoder();

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  if (one === undefined) return undefined;
  return typeof one === 'string' ? one : utf8.decode(one);
}

/** kafkajs's record as the port's message; the id falls back to the position (stable across redeliveries) */
function delivered(topic: string, partition: number, m: KafkaMessage): DeliveredMessage {
  const headers: Record<string, string> = {};
  let id: string | undefined;
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    const text = headerText(value);
    if (text === undefined) continue;
    if (name === ID_HEADER) id = text;
    else headers[name] = text;
  }
  const base = {
    topic,
    partition,
    offset: BigInt(m.offset),
    key: m.key === null ? '' : utf8.decode(m.key),
    value: m.value === null ? new Uint8Array(0) : new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength),
    id: id ?? `${topic}/${partition}/${m.offset}`,
  };
  return Object.keys(headers).length === 0 ? base : { ...base, headers };
}

function encoded(m: BusMessage) {
  return { key: m.key, value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength), headers: { ...m.headers, [ID_HEADER]: m.id } };
}

async function send(producer: Producer, messages: readonly BusMessage[]): Promise<void> {
  const byTopic = new Map<string, ReturnType<typeof encoded>[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push(encoded(m));
    byTopic.set(m.topic, list);
  }
  await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
}

/** The message a dead-letter topic receives for `m` */
function deadLetter(topic: string, m: DeliveredMessage, groupId: string, reason: string): BusMessage {
  const headers = {
    ...m.headers,
    [DEAD_LETTER_HEADERS.topic]: m.topic,
    [DEAD_LETTER_HEADERS.partition]: String(m.partition),
    [DEAD_LETTER_HEADERS.offset]: m.offset.toString(),
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.group]: groupId,
  };
  return { topic, key: m.key, value: m.value, id: m.id, headers };
}

interface Shared {
  readonly options: KafkaBusOptions;
  readonly kafka: Kafka;
  readonly admin: () => Promise<Admin>;
  readonly producer: () => Promise<Producer>;
  readonly deadLetters: () => Promise<void>;
  readonly deadLetterTopic: string;
}

/** The Kafka bus, plus the cluster's partition-aware consumer */
export interface KafkaBus extends Bus {
  /** joins `options.groupId` with the sticky assigner; see `PlacedConsumerOptions` */
  consumePlaced(options: PlacedConsumerOptions): Promise<PlacedConsumer>;
  /** each partition's end offset (the next offset to be written), from the admin client: consumer lag = end − (applied + 1) */
  topicEnds(topic: string): Promise<Map<number, bigint>>;
}

/** A Bus on a Kafka cluster: see the file's comment for the semantics. */
export function kafkaBus(options: KafkaBusOptions): KafkaBus {
  const kafka = kafkaClient(options);
  const deadLetterTopic = options.deadLetterTopic ?? 'phalanet.dead-letter';
  const replicationFactor = options.replicationFactor ?? -1;
  const admin = lazily(async () => {
    const client = kafka.admin();
    await client.connect();
    return client;
  });
  const producer = lazily(async () => {
    const client = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await client.connect();
    return client;
  });
  const deadLetters = lazily(async () => ensureTopicsWith(await admin(), [{ name: deadLetterTopic, partitions: 1 }], replicationFactor));
  const shared: Shared = { options, kafka, admin, producer, deadLetters, deadLetterTopic };
  const consumers = new Set<Consumer | PlacedConsumer>();
  let closed = false;
  const open = () => {
    if (closed) throw new KafkaBusError('kafka: the bus is closed', false);
  };
  return {
    ensureTopics: (topics) =>
      guarded('ensureTopics', async () => {
        open();
        await ensureTopicsWith(await admin(), topics, replicationFactor);
      }),
    publish: (messages) =>
      guarded('publish', async () => {
        open();
        if (messages.length > 0) await send(await producer(), messages);
      }),
    consume: (consumerOptions) =>
      guarded(`consume ${consumerOptions.groupId}`, async () => {
        open();
        const consumer = await startConsumer(shared, consumerOptions, (c) => consumers.delete(c));
        consumers.add(consumer);
        return consumer;
      }),
    consumePlaced: (placedOptions) =>
      guarded(`consume ${placedOptions.groupId} as ${placedOptions.nodeId}`, async () => {
        open();
        const consumer = await startPlacedConsumer(shared, placedOptions, (c) => consumers.delete(c));
        consumers.add(consumer);
        return consumer;
      }),
    topicEnds: (topic) =>
      guarded(`offsets of ${topic}`, async () => {
        open();
        const offsets = await (await admin()).fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
      }),
    close: () =>
      guarded('close', async () => {
        if (closed) return;
        closed = true;
        await Promise.all([...consumers].map((c) => c.stop()));
        await Promise.all([producer, admin].map(async (client) => (await client().catch(() => undefined))?.disconnect()));
      }),
  };
}

/** Per-partition redelivery state of one consumer */
interface Redelivery {
  readonly failures: Map<string, number>;
  readonly timers: Set<ReturnType<typeof setTimeout>>;
}

/** Pauses the partition at the failed message and resumes it after a growing backoff. */
function redeliverLater(consumer: KafkaConsumer, state: Redelivery, baseMs: number, topic: string, partition: number, offset: string): void {
  const slot = `${topic}/${partition}/${offset}`;
  const failures = (state.failures.get(slot) ?? 0) + 1;
  state.failures.set(slot, failures);
  consumer.pause([{ topic, partitions: [partition] }]);
  consumer.seek({ topic, partition, offset });
  const timer = setTimeout(
    () => {
      state.timers.delete(timer);
      consumer.resume([{ topic, partitions: [partition] }]);
    },
    Math.min(5_000, baseMs * 2 ** (failures - 1)),
  );
  state.timers.add(timer);
}

/** true if the message is done with (handled, or dead-lettered); false if it must come again */
async function handleOne(shared: Shared, groupId: string, onMessage: ConsumerOptions['onMessage'], m: DeliveredMessage): Promise<boolean> {
  try {
    await onMessage(m);
    return true;
  } catch (error) {
    if (error instanceof Undecodable) {
      await shared.deadLetters();
      await send(await shared.producer(), [deadLetter(shared.deadLetterTopic, m, groupId, error.reason)]);
      return true;
    }
    shared.options.log?.({ level: 'warn', namespace: 'phalanet.kafkaBus', message: 'handler failed: redelivering', extra: { topic: m.topic, partition: m.partition, offset: m.offset.toString(), error: String(error) } });
    return false;
  }
}

interface BatchTools {
  readonly batch: Batch;
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
}

/** Handles a batch message by message; commits what was handled, even when a handler failed. */
async function handleBatch(shared: Shared, consumer: KafkaConsumer, options: ConsumerOptions, state: Redelivery, tools: BatchTools): Promise<void> {
  const { topic, partition } = tools.batch;
  let last: string | undefined;
  try {
    for (const m of tools.batch.messages) {
      if (!tools.isRunning() || tools.isStale()) break;
      if (!(await handleOne(shared, options.groupId, options.onMessage, delivered(topic, partition, m)))) {
        redeliverLater(consumer, state, shared.options.redeliveryBackoffMs ?? 100, topic, partition, m.offset);
        break;
      }
      state.failures.delete(`${topic}/${partition}/${m.offset}`);
      tools.resolveOffset(m.offset);
      last = m.offset;
    }
  } finally {
    if (last !== undefined) await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
  }
}

function assignmentOf(memberAssignment: Record<string, number[]>): ReadonlyMap<string, readonly number[]> {
  return new Map(Object.entries(memberAssignment).map(([topic, partitions]) => [topic, [...partitions].sort((a, b) => a - b)]));
}

async function startConsumer(shared: Shared, options: ConsumerOptions, forget: (c: Consumer) => void): Promise<Consumer> {
  const { options: bus } = shared;
  const consumer = shared.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: bus.maxWaitTimeMs ?? 200,
    heartbeatInterval: bus.heartbeatIntervalMs ?? 500,
    sessionTimeout: bus.sessionTimeoutMs ?? 10_000,
  });
  let assignment: ReadonlyMap<string, readonly number[]> = new Map();
  let joined: ReadonlyMap<string, readonly number[]> | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = assignmentOf(e.payload.memberAssignment);
  });
  consumer.on(consumer.events.FETCH, () => {
    if (joined === undefined) return;
    assignment = joined;
    joined = undefined;
  });
  consumer.on(consumer.events.CRASH, (e) => {
    bus.log?.({ level: 'error', namespace: 'phalanet.kafkaBus', message: 'consumer crashed', extra: { groupId: options.groupId, error: String(e.payload.error), restart: e.payload.restart } });
  });
  const state: Redelivery = { failures: new Map(), timers: new Set() };
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? false });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: bus.partitionsConsumedConcurrently ?? 1,
    eachBatch: (tools) => handleBatch(shared, consumer, options, state, tools),
  });
  let stopping: Promise<void> | undefined;
  const self: Consumer = {
    assignment: () => assignment,
    stop: () => {
      stopping ??= guarded(`stop ${options.groupId}`, async () => {
        for (const timer of state.timers) clearTimeout(timer);
        state.timers.clear();
        await consumer.disconnect();
        assignment = new Map();
        forget(self);
      });
      return stopping;
    },
  };
  return self;
}

/** name of the sticky assigner's protocol in the group */
export const STICKY_ASSIGNER = 'PhalanetSticky';

/** The kafkajs face of `assignGroup`: node id and known plan in, the whole new plan out to everyone. */
function stickyAssigner(memory: { state: MemberState }): PartitionAssigner {
  return ({ cluster }) => ({
    name: STICKY_ASSIGNER,
    version: 1,
    async assign({ members, topics }) {
      const group = members.map((m) => {
        const metadata = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
        return { memberId: m.memberId, state: decodeMemberState(metadata?.userData), topics: metadata?.topics ?? [] };
      });
      const partitions = new Map(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId)]));
      const decided = assignGroup(group, partitions);
      memory.state = { ...memory.state, ...decided.state };
      const userData = Buffer.from(encodeMemberState({ nodeId: '', startedAtMs: 0, ...decided.state }));
      return [...decided.byMember].map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData }),
      }));
    },
    protocol({ topics }) {
      const userData = Buffer.from(encodeMemberState(memory.state));
      return { name: STICKY_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData }) };
    },
  });
}

/** A member learns the plan the leader sent it (kafkajs drops assignment user data), so it can lead next. */
async function learnPlan(shared: Shared, groupId: string, memberId: string, memory: { state: MemberState }): Promise<void> {
  const { groups } = await (await shared.admin()).describeGroups([groupId]);
  const mine = groups[0]?.members.find((m) => m.memberId === memberId);
  if (mine === undefined) return;
  const learned = decodeMemberState(AssignerProtocol.MemberAssignment.decode(mine.memberAssignment)?.userData);
  if (learned !== undefined && learned.generation > memory.state.generation) memory.state = { ...memory.state, generation: learned.generation, plans: learned.plans };
}

async function handlePlaced(shared: Shared, options: PlacedConsumerOptions, m: DeliveredMessage): Promise<'done' | 'lost' | 'retry'> {
  try {
    return await options.onMessage(m);
  } catch (error) {
    if (error instanceof Undecodable) {
      await shared.deadLetters();
      await send(await shared.producer(), [deadLetter(shared.deadLetterTopic, m, options.groupId, error.reason)]);
      return 'done';
    }
    shared.options.log?.({ level: 'warn', namespace: 'phalanet.kafkaBus', message: 'placed handler failed: redelivering', extra: { topic: m.topic, partition: m.partition, offset: m.offset.toString(), error: String(error) } });
    return 'retry';
  }
}

async function handlePlacedBatch(shared: Shared, consumer: KafkaConsumer, options: PlacedConsumerOptions, tracker: PlacementTracker, tools: BatchTools & { heartbeat(): Promise<void> }): Promise<void> {
  const { topic, partition } = tools.batch;
  let last: string | undefined;
  try {
    for (const m of tools.batch.messages) {
      if (!tools.isRunning() || tools.isStale() || !tracker.isReady(partition)) break;
      const verdict = await tracker.track(partition, handlePlaced(shared, options, delivered(topic, partition, m)));
      if (verdict === 'lost') {
        // longer than a heartbeat: a member that missed a rebalance learns of it first
        tracker.lose(partition, 2 * (shared.options.heartbeatIntervalMs ?? 500) + 1_000);
        break;
      }
      if (verdict === 'retry') {
        tracker.retryLater(partition, BigInt(m.offset), shared.options.redeliveryBackoffMs ?? 100);
        break;
      }
      tools.resolveOffset(m.offset);
      last = m.offset;
      await tools.heartbeat();
    }
  } finally {
    // once per batch, after the store committed: Kafka's offset only spares replays (the store
    // skips them); a refused commit (a rebalance) costs nothing more
    if (last !== undefined) {
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]).catch((error: unknown) => {
        shared.options.log?.({ level: 'debug', namespace: 'phalanet.kafkaBus', message: 'offset commit refused', extra: { topic, partition, error: String(error) } });
      });
    }
  }
}

async function startPlacedConsumer(shared: Shared, options: PlacedConsumerOptions, forget: (c: PlacedConsumer) => void): Promise<PlacedConsumer> {
  const { options: bus } = shared;
  // generation 0: any plan a running group already has wins over the seed
  const seed = options.initialPlan === undefined ? new Map() : new Map([[options.topic, options.initialPlan]]);
  const pinned = options.pinned === undefined ? {} : { scope: options.pinned.own, scopes: options.pinned.all };
  const memory: { state: MemberState } = { state: { nodeId: options.nodeId, startedAtMs: Date.now(), generation: 0, plans: seed, ...pinned } };
  const consumer = shared.kafka.consumer({
    groupId: options.groupId,
    partitionAssigners: [stickyAssigner(memory)],
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: bus.maxWaitTimeMs ?? 200,
    heartbeatInterval: bus.heartbeatIntervalMs ?? 500,
    sessionTimeout: bus.sessionTimeoutMs ?? 10_000,
  });
  const { topic } = options;
  const tracker = placementTracker(
    {
      pause: (partitions) => consumer.pause([{ topic, partitions: [...partitions] }]),
      resume: (partitions) => consumer.resume([{ topic, partitions: [...partitions] }]),
      seek: (partition, offset) => consumer.seek({ topic, partition, offset: offset.toString() }),
    },
    options,
    (message, extra) => bus.log?.({ level: 'warn', namespace: 'phalanet.kafkaBus', message, extra: { groupId: options.groupId, node: options.nodeId, ...extra } }),
  );
  let memberId: string | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    // a new member id: this member was evicted (paused past its session) and joined afresh;
    // whatever it held may have been claimed by others meanwhile, so it claims everything anew
    if (memberId !== undefined && e.payload.memberId !== memberId) tracker.join([]);
    memberId = e.payload.memberId;
    tracker.join(e.payload.memberAssignment[topic] ?? []);
    learnPlan(shared, options.groupId, e.payload.memberId, memory).catch(() => undefined);
  });
  consumer.on(consumer.events.CRASH, (e) => {
    bus.log?.({ level: 'error', namespace: 'phalanet.kafkaBus', message: 'placed consumer crashed', extra: { groupId: options.groupId, error: String(e.payload.error), restart: e.payload.restart } });
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // partitions are independent here (each has its own fenced transactions): 4 by default
    partitionsConsumedConcurrently: bus.partitionsConsumedConcurrently ?? 4,
    eachBatch: (tools) => handlePlacedBatch(shared, consumer, options, tracker, tools),
  });
  let stopping: Promise<void> | undefined;
  const self: PlacedConsumer = {
    ready: () => tracker.ready(),
    stop: () => {
      stopping ??= guarded(`stop ${options.groupId} as ${options.nodeId}`, async () => {
        tracker.close();
        await consumer.disconnect();
        await tracker.revokeAll();
        forget(self);
      });
      return stopping;
    },
  };
  return self;
}

/**
 * Waits until the cluster at `brokers` answers a describe-cluster request (the harness's
 * readiness test, scripts/kafka.cjs); resolves with the number of brokers, rejects with the last
 * error after `timeoutMs`.
 */
export async function probeCluster(brokers: readonly string[], timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    const admin = kafkaClient({ brokers, clientId: 'phalanet-probe' }, 0).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  throw wrap(`no answer from ${brokers.join(',')} within ${timeoutMs} ms`, last);
}
