/** Runs the real helm on deploy/helm/focus and reads what it renders, for chart.spec.ts. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '../..');
export const CHART_DIR = join(ROOT, 'deploy/helm/focus');
/** The chart's ci/ values files (the chart-testing convention): each is linted and rendered. */
export const CI_VALUES = ['ci/cluster-values.yaml', 'ci/minimal-values.yaml'];
/** The Kubernetes the chart is rendered for (the oldest its Chart.yaml accepts is 1.25). */
export const KUBE_VERSION = '1.31.0';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Each kind's spec differs; the checks read the fields they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any;
}

export interface HelmResult {
  ok: boolean;
  output: string;
}

export function runHelm(helm: string, args: string[]): HelmResult {
  const result = spawnSync(helm, args, {
    cwd: CHART_DIR,
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: join(ROOT, 'tmp/helm') },
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** `helm template` with these values files (relative to the chart) and --set pairs. */
export function template(helm: string, values: string[], set: Record<string, string> = {}): HelmResult {
  const args = ['template', 'focus', '.', '--namespace', 'focus', '--kube-version', KUBE_VERSION];
  for (const file of values) args.push('--values', file);
  for (const [key, value] of Object.entries(set)) args.push('--set', `${key}=${value}`);
  return runHelm(helm, args);
}

/** The rendered manifests, or the error helm gave. */
export function render(helm: string, values: string[], set: Record<string, string> = {}): Manifest[] {
  const { ok, output } = template(helm, values, set);
  if (!ok) throw new Error(`helm template failed:\n${output}`);
  return parseAllDocuments(output)
    .map((document) => document.toJSON() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}
