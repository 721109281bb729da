'use strict';
/**
 * Loaded into the app under test by the api benchmark (`node -r bench/app-probe.cjs dist/main.js`, with an
 * IPC channel, only with `--cpu-prof`): starts and stops a V8 CPU profile (node:inspector, in-process) when
 * the bench asks, so each line gets a profile of its timed run only. Nothing here runs per request; the
 * app does not know it is there. Plain CommonJS: it runs beside the compiled dist/, without a TypeScript
 * loader.
 *
 * Messages: { probe: 'profile-start', id } → { probeReply: id };
 *           { probe: 'profile-stop', id, file } → { probeReply: id, file } once the profile is written.
 */
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');

let session = null;

function post(method, params) {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function answer(message) {
  switch (message.probe) {
    case 'profile-start':
      if (!session) {
        session = new inspector.Session();
        session.connect();
        await post('Profiler.enable');
        // 250 µs: a request costs a few hundred µs of CPU, so the default 1 ms would miss most of it.
        await post('Profiler.setSamplingInterval', { interval: 250 });
      }
      await post('Profiler.start');
      return {};
    case 'profile-stop': {
      const { profile } = await post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
      return { file: message.file };
    }
    default:
      throw new Error(`unknown probe ${String(message.probe)}`);
  }
}

if (process.send) {
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || typeof message.probe !== 'string') return;
    answer(message).then(
      (body) => process.send({ probeReply: message.id, ...body }),
      (error) => process.send({ probeReply: message.id, error: String(error && error.message) }),
    );
  });
  // The channel must not keep the app alive on its own (shutdown is the app's business).
  process.channel.unref();
}
