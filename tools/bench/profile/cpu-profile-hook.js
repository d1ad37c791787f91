// Loaded with `node --require` into a process the bench measures (the gateway, the bare
// server) when BENCH_CPU_PROFILE_DIR is set: SIGWINCH (a signal Nest's shutdown hooks leave alone, unlike
// SIGUSR2, and whose default is to do nothing) starts V8's CPU profiler (what
// `--cpu-prof` runs), the next SIGWINCH stops it and writes `<label>-<n>.cpuprofile` there.
// Not `--cpu-prof` itself: that profiles the whole life of the process (start-up, seed load)
// and writes only on a normal exit, which a process ended by SIGTERM through Nest never makes;
// the bench wants one profile per load scenario.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
const label = process.env.BENCH_CPU_PROFILE_LABEL || String(process.pid);
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      // 100 µs: a cached read takes tens of microseconds of CPU, the default 1 ms would see few of them.
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 100 }, () => session.post('Profiler.start')),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${label}-${++count}.cpuprofile`), JSON.stringify(result.profile));
      process.stderr.write(`cpu-profile: ${error ? `failed: ${error.message}` : `wrote ${label}-${count}.cpuprofile`}\n`);
    });
  });
}
