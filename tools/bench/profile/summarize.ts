/**
 * `npx tsx tools/bench/profile/summarize.ts FILE.cpuprofile [--top N]`
 *
 * What a V8 CPU profile spent its busy time on (idle left out): per package or Node module,
 * self time (where the CPU was) and inclusive time (what was on the stack: a hook's share
 * with everything it calls), then the heaviest functions inclusive. Shares, not durations:
 * on a loaded machine the absolute figures mean little, the proportions much more.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMicros: number;
  idleMicros: number;
  /** [name, self share, inclusive share] by package or module, heaviest inclusive first. */
  packages: Array<[string, number, number]>;
  /** [function at file:line, inclusive share], heaviest first. */
  functions: Array<[string, number]>;
  /**
   * [function at file:line, self share] of the project's own code and of the packages it adds to a
   * bare Fastify server (hooks call the next hook, so their inclusive shares nest: self is what each adds).
   */
  ownFunctions: Array<[string, number]>;
}

/** Frames a bare Fastify server does not run: the project's and its plugins'. */
const ADDED = /^(apps|libs)\/|^@nestjs\/|^@fastify\/|^kafkajs$|^prom-client$|^pino$|^node:internal\/crypto/;

/** Where a frame belongs: an npm package, a Node module, the project, or V8 itself. */
export function categoryOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  const own = url.match(/\/(apps|libs|tools)\/([^/]+)\//);
  return own ? `${own[1]}/${own[2]}` : basename(url);
}

export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  const ownFunctions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id);
    if (!leaf) return;
    if (leaf.callFrame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    busy += micros;
    add(self, categoryOf(leaf.callFrame), micros);
    if (ADDED.test(categoryOf(leaf.callFrame))) add(ownFunctions, frameName(leaf.callFrame), micros);
    const seenCategories = new Set<string>();
    const seenFunctions = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      const frame = node.callFrame;
      if (frame.functionName === '(root)') break;
      seenCategories.add(categoryOf(frame));
      seenFunctions.add(frameName(frame));
    }
    for (const c of seenCategories) add(inclusive, c, micros);
    for (const f of seenFunctions) add(functions, f, micros);
  });
  const share = (micros: number) => (busy === 0 ? 0 : micros / busy);
  return {
    busyMicros: busy,
    idleMicros: idle,
    packages: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => [name, share(self.get(name) ?? 0), share(micros)]),
    functions: [...functions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => [name, share(micros)]),
    ownFunctions: [...ownFunctions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => [name, share(micros)]),
  };
}

function frameName(frame: ProfileNode['callFrame']): string {
  return `${frame.functionName || '(anonymous)'} ${frame.url ? `${categoryOf(frame)}:${basename(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim();
}

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1).padStart(5)}%`;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  for (const file of args.filter((a, i) => !a.startsWith('--') && i !== topIndex + 1)) {
    const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
    const busyShare = summary.busyMicros / (summary.busyMicros + summary.idleMicros || 1);
    console.log(`${file}: busy ${(summary.busyMicros / 1000).toFixed(0)} ms (${percent(busyShare).trim()} of the samples)`);
    console.log('  self    incl.   package / module');
    for (const [name, s, i] of summary.packages) console.log(`  ${percent(s)}  ${percent(i)}  ${name}`);
    console.log('  incl.   function');
    for (const [name, i] of summary.functions) console.log(`  ${percent(i)}  ${name}`);
    console.log('  self    function added to a bare server (the project, its plugins, Nest, Kafka, request ids)');
    for (const [name, s] of summary.ownFunctions) console.log(`  ${percent(s)}  ${name}`);
  }
}
