/**
 * `GET /` serves the dashboard: one self-contained HTML file (`dashboard.html`: inline CSS and
 * script, no CDN) that reads the JSON API of the same server. The build copies the HTML beside
 * this file into dist/, so both the sources and the compiled CLI find it next to them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Options of the dashboard page. */
export interface DashboardOptions {
  /** how often the page polls `/api/head` to follow a growing ledger; default 2000 */
  readonly pollMs?: number;
}

/** The page, with its poll interval filled in. */
export function dashboardHtml(options: DashboardOptions = {}): string {
  const template = readFileSync(join(__dirname, 'dashboard.html'), 'utf8');
  return template.replace('__POLL_MS__', String(options.pollMs ?? 2000));
}

/** Registers `GET /` (and `/index.html`). */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions = {}): void {
  const html = dashboardHtml(options);
  const page = async (_request: unknown, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(html);
  app.get('/', page);
  app.get('/index.html', page);
}
