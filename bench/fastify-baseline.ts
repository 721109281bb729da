/**
 * The baseline of the api benchmark: a bare Fastify server (no plugins, no logger) answering one small
 * JSON body, in a process of its own. `node -r @swc-node/register bench/fastify-baseline.ts <port>`.
 */
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
app.get('/', async () => ({ status: 'ok' }));
app.listen({ port, host: '127.0.0.1' }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
