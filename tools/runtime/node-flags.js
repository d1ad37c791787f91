// The Node flags each app runs with, wherever it runs: the stack of the tests, the bench and
// `npm start` (libs/testing), and the Docker image (`node tools/runtime/node-flags.js <app>`
// prints them for its CMD).
//
// Under load V8 lets the old generation grow long before it collects it: the gateway, whose
// live heap is ~45 MB, reached 250 MB of resident memory in 30 s of writes and reads, nearly
// all of it garbage. A ceiling makes V8 collect sooner, and a smaller young generation keeps
// 16 MB fewer resident. Only apps whose live heap is small and bounded get one, since a
// ceiling below what an app really holds ends it with an out-of-memory crash: population
// (an import's sums) and operation-view (a batch's views) hold more and are left to V8.
const BOUNDED = new Set(['api-gateway', 'budget', 'narratives', 'contributions']);
const BOUNDED_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=8'];

function nodeFlags(app) {
  return BOUNDED.has(app) ? [...BOUNDED_FLAGS] : [];
}

module.exports = { nodeFlags };

if (require.main === module) process.stdout.write(nodeFlags(process.argv[2] ?? '').join(' '));
