// How each app's Node process runs, wherever it runs: the stack of the tests, the bench and
// `npm start` (libs/testing), and the Docker image (`node tools/runtime/node-flags.js <app>`
// prints the flags for its CMD; its ENV carries MALLOC_ENVIRONMENT).
//
// Under load V8 lets the old generation grow long before it collects it: the gateway, whose
// live heap is ~45 MB, reached 250 MB of resident memory in 30 s of writes and reads, nearly
// all of it garbage. A ceiling makes V8 collect sooner, and a smaller young generation keeps
// 16 MB fewer resident. A ceiling below what an app really holds would end it with an
// out-of-memory crash, so each leaves room over the most it was seen holding after a full
// collection (tools/bench, every scenario): ~45 MB for the gateway and the three small
// services, ~70 MB for population during the UNHCR import.
//
// The aggregator held 50-60 MB during projection and rebuild (tools/bench), with its fetches
// limited to 4 MiB (PROJECTION_BATCHES): its ceiling leaves as much again, as the other apps'
// do. Without a ceiling and with 32 MiB fetches it reached 430 MB, nearly all garbage.
const HEAP_CEILING_MB = {
  'api-gateway': 128,
  budget: 128,
  narratives: 128,
  contributions: 128,
  population: 160,
  'operation-view': 128,
};

// glibc's malloc raises its threshold for serving a large allocation with its own mapping each
// time such a mapping is freed, so after the first few big socket reads and BSON buffers it
// serves them from its heaps, which fragment and stay resident. Fixed thresholds hand them
// back: the aggregator's peak went from 207-215 to 179-189 MB through projection and rebuild, the
// gateway's from 161 to 151 (tools/bench). Set before the process starts: glibc reads them once.
const MALLOC_ENVIRONMENT = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

function nodeFlags(app) {
  const ceiling = HEAP_CEILING_MB[app];
  return ceiling === undefined ? [] : [`--max-old-space-size=${ceiling}`, '--max-semi-space-size=8'];
}

module.exports = { nodeFlags, MALLOC_ENVIRONMENT };

if (require.main === module) process.stdout.write(nodeFlags(process.argv[2] ?? '').join(' '));
