import { resolve } from 'node:path';
import { BenchSizes } from './bench-context';

const UNHCR_CSV = resolve(__dirname, '../../import/data/unhcr-population-1951-2025.csv.gz');
const SMALL_CSV = resolve(__dirname, '../../../apps/population/src/testing/unhcr-kaz-2016-2018.csv');

/** Issue #9's sizes. */
export const FULL_SIZES: BenchSizes = {
  read: { connections: 10, durationSeconds: 5, rounds: 5 },
  projection: { operations: 150, years: 10, events: 100_000 },
  freshness: { writesPerSecond: 200, durationSeconds: 30, operations: 8 },
  // A third of projection's corpus, three times over: long enough that a rebalance is noise.
  scaleOut: { projection: { operations: 60, years: 10, events: 30_000 }, aggregators: [1, 2, 4], gateways: [1, 2] },
  importFile: UNHCR_CSV,
};

/** Every scenario, small: proves the bench runs and checks what it measured; its figures mean little. */
export const QUICK_SIZES: BenchSizes = {
  read: { connections: 4, durationSeconds: 1, rounds: 2 },
  projection: { operations: 6, years: 2, events: 1_000 },
  freshness: { writesPerSecond: 20, durationSeconds: 2, operations: 2 },
  scaleOut: { projection: { operations: 4, years: 2, events: 600 }, aggregators: [1, 2, 4], gateways: [1, 2] },
  importFile: SMALL_CSV,
};
