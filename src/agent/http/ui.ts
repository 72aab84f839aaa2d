/**
 * The web UI under /ui (Nomad's paths): the bundled single-page app from
 * dist/ui. Hashed assets are cached for good; index.html is served for every
 * other /ui/* path (so a direct load or reload of /ui/jobs/x works) and is
 * never cached, so a new build is picked up at once. `/` redirects to /ui/,
 * as Nomad's agent does. The UI needs no token to load: it calls the API with
 * the user's token like any other client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** dist/ui next to this file's dist/src/agent/http. */
export const UI_DIR = fileURLToPath(new URL('../../../ui/', import.meta.url));

export async function registerUi(app: FastifyInstance, dir: string = UI_DIR): Promise<void> {
  const indexFile = `${dir}index.html`;
  const built = existsSync(indexFile);
  // Read once: the bundle does not change under a running agent (a rebuild restarts it).
  const index = built ? readFileSync(indexFile) : undefined;
  const sendIndex = (reply: FastifyReply): FastifyReply => {
    if (!index) return reply.code(503).type('text/plain; charset=utf-8').send('The web UI is not built: run `make build` (or `npm run build`) in the drover checkout.');
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(index);
  };

  app.get('/', (_req, reply) => reply.redirect('/ui/', 307));
  app.get('/ui', (_req, reply) => sendIndex(reply));
  if (built) {
    await app.register(fastifyStatic, {
      root: `${dir}assets`,
      prefix: '/ui/assets/',
      // Names carry a content hash: a changed file is a new name.
      immutable: true,
      maxAge: '365d',
      // build-ui writes .br and .gz beside each file.
      preCompressed: true,
      index: false,
      wildcard: true,
      decorateReply: false,
    });
  }
  app.get('/ui/*', (req, reply) => {
    // A missing asset is a 404, not the app: a stale page asking for an old chunk must see it fail.
    if (req.url.startsWith('/ui/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send(`Invalid URL: ${req.url}`);
    return sendIndex(reply);
  });
}
