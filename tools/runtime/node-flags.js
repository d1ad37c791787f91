// How each app's Node process runs, wherever it runs: the stack of the tests, the bench and
// `npm start` (libs/testing), and the Docker image (`node tools/runtime/node-flags.js <app>`
// prints the flags for its CMD; its ENV carries MALLOC_ENVIRONMENT).
//
// Under load V8 lets the old generation grow long before it collects it, so an app's resident
// memory grows far past its live heap, nearly all of it garbage. A ceiling makes V8 collect
// sooner, and a smaller young generation keeps less resident. A ceiling below what an app
// really holds would end it with an out-of-memory crash, so each leaves room over the most it
// was seen holding after a full collection in every scenario of tools/bench (population more,
// for the UNHCR import; the aggregator with its fetches limited by PROJECTION_BATCHES, as large
// fetches are what it holds). The figures behind these numbers: tools/bench/README.md, "Memory".
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
// back (what that saved: tools/bench/README.md, "Memory"). Set before the process starts:
// glibc reads them once.
const MALLOC_ENVIRONMENT = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

function nodeFlags(app) {
  const ceiling = HEAP_CEILING_MB[app];
  return ceiling === undefined ? [] : [`--max-old-space-size=${ceiling}`, '--max-semi-space-size=8'];
}

module.exports = { nodeFlags, MALLOC_ENVIRONMENT };

if (require.main === module) process.stdout.write(nodeFlags(process.argv[2] ?? '').join(' '));
