import type { Kafka } from 'kafkajs';
import type { Stack, TestNamespace } from '@focus/testing';

/** How big each scenario is: the full run (issue #9's numbers) or a quick one that proves the bench works. */
export interface BenchSizes {
  /** HTTP loads; `rounds`: how many times gateway-read and conditional-read measure each pair. */
  read: { connections: number; durationSeconds: number; rounds: number };
  projection: { operations: number; years: number; events: number };
  freshness: { writesPerSecond: number; durationSeconds: number; operations: number };
  /** scale-out: the projection corpus for each count of aggregators, and the gateway counts (read as `read`). */
  scaleOut: { projection: { operations: number; years: number; events: number }; aggregators: number[]; gateways: number[] };
  /** The CSV to import (UNHCR's population file, or a small one), gzip or plain. */
  importFile: string;
}

export interface BenchContext {
  stack: Stack;
  ns: TestNamespace;
  kafka: Kafka;
  mongoUrl: string;
  /** The gateway's /api/v1 and the local stack's editor key. */
  api: string;
  editorKey: string;
  /** Scratch files of this run. */
  workDir: string;
  sizes: BenchSizes;
  log(line: string): void;
}
