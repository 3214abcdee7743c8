/**
 * `GET /api/<path>` and `GET /api/<path>/<id>` (issue 7 item 4), answered by the same code as
 * `phalanet query` (`answerQuery`), with its parameters decoded by the same io-ts decoder
 * (`queryParamsDecoder`). A read model becomes reachable over HTTP by one line in `API_ROUTES`.
 */
import { isLeft } from 'fp-ts/Either';
import type { FastifyInstance } from 'fastify';
import type { Codec } from 'scale-ts';
import type { EventStore } from '../../domain/ports/eventStore';
import type { RuntimeEvent } from '../../domain/runtime/types';
import type { ProjectionStore } from '../../projections';
import { type Answer, answerQuery, type QueryMeta } from '../cli/commands/queryAnswer';
import { AVAILABLE, badParameterOf, ID_CODEC, queryParamsDecoder, type Resource } from '../cli/commands/queryParams';
import { ApiError, badParameterError } from './apiErrors';
import type { LedgerFollower } from './follower';

/**
 * How one path segment answers: `list` is the query resource `GET /api/<path>` answers (a list,
 * or one record such as `head`), `item` the resource `GET /api/<path>/<id>` answers.
 */
export interface ApiRoute {
  readonly list?: Resource;
  readonly item?: Resource;
}

/**
 * Every API path, keyed by its segment: the plural names answer `GET /api/<path>` with a page and
 * `GET /api/<path>/<id>` with one record; the singular names are the CLI's item resources.
 * `finance` is a page keyed by its worker (`GET /api/finance/0x…`). Each of the sixteen query
 * resources is reachable from at least one line here (a test checks it).
 */
export const API_ROUTES: Readonly<Record<string, ApiRoute>> = {
  head: { list: 'head' },
  blocks: { list: 'blocks', item: 'block' },
  block: { item: 'block' },
  events: { list: 'events' },
  accounts: { list: 'accounts', item: 'account' },
  account: { item: 'account' },
  workers: { list: 'workers', item: 'worker' },
  worker: { item: 'worker' },
  finance: { item: 'finance' },
  gatekeepers: { list: 'gatekeepers' },
  pools: { list: 'pools', item: 'pool' },
  pool: { item: 'pool' },
  rewards: { list: 'rewards' },
  clusters: { list: 'clusters' },
  contracts: { list: 'contracts', item: 'contract' },
  contract: { item: 'contract' },
};

/** The JSON of an answer: `{ items, next, meta }` for a list, `{ item, meta }` for one record. */
export type ApiBody = { readonly items: readonly unknown[]; readonly next: string | null; readonly meta: QueryMeta } | { readonly item: unknown; readonly meta: QueryMeta };

/** What the routes read. */
export interface ApiDeps {
  readonly ledger: EventStore;
  readonly eventCodec: Codec<RuntimeEvent>;
  readonly store: ProjectionStore;
  readonly follower: LedgerFollower;
}

function routeOf(path: string, withId: boolean): Resource {
  const route = Object.hasOwn(API_ROUTES, path) ? API_ROUTES[path] : undefined;
  const resource = withId ? route?.item : route?.list;
  if (resource !== undefined) return resource;
  if (route !== undefined) throw new ApiError(404, 'UnknownResource', withId ? `/api/${path} takes no id` : `/api/${path} needs an id`);
  throw new ApiError(404, 'UnknownResource', `unknown resource "${path}"; available: ${Object.keys(API_ROUTES).join(', ')}`);
}

function idOf(resource: Resource, text: string | undefined): number | string | undefined {
  const codec = ID_CODEC[resource];
  if (codec === undefined || text === undefined) return undefined;
  const r = codec.decode(text);
  if (isLeft(r)) throw new ApiError(400, 'InvalidParameter', `${resource} id ${JSON.stringify(text)} is not ${codec.name}`, 'id');
  return r.right;
}

const bodyOf = (a: Answer, meta: QueryMeta): ApiBody => (a.kind === 'list' ? { items: a.items, next: a.next, meta } : { item: a.item, meta });

/** Answers one API request (throws `ApiError`s and whatever the answer code throws). */
export async function answerApi(deps: ApiDeps, path: string, idText: string | undefined, query: unknown): Promise<ApiBody> {
  const resource = routeOf(path, idText !== undefined);
  const id = idOf(resource, idText);
  const decoded = queryParamsDecoder(resource).decode(query ?? {});
  if (isLeft(decoded)) throw badParameterError(resource, badParameterOf(decoded.left));
  const { ledger, eventCodec, store } = deps;
  const { answer, meta } = await deps.follower.read((status) => answerQuery({ ledger, eventCodec, store }, resource, id, decoded.right, status));
  return bodyOf(answer, meta);
}

/** Registers `GET /api`, `GET /api/:resource` and `GET /api/:resource/:id`. */
export function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api', async () => ({ resources: Object.keys(API_ROUTES), routes: API_ROUTES, cliResources: AVAILABLE }));
  app.get<{ Params: { resource: string } }>('/api/:resource', async (request) => answerApi(deps, request.params.resource, undefined, request.query));
  app.get<{ Params: { resource: string; id: string } }>('/api/:resource/:id', async (request) => answerApi(deps, request.params.resource, request.params.id, request.query));
}
