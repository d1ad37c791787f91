import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { DEFAULT_PORTS, STACK_APPS, StackApp } from '@focus/testing';
import { CHART_DIR, CI_VALUES, Container, EnvVar, Manifest, PodSpec, render, ROOT, runHelm, template } from './chart';
import { ensureHelm } from './helm-binary';

// deploy/helm/focus, rendered by the real helm (built once from the Go module proxy) and held
// against what the apps really serve and read: their ports (libs/testing's DEFAULT_PORTS and
// each app's own config), the health controller's routes, and each app's configuration
// loader, run on the environment the chart gives it. Nothing here is a copy of the apps.

/** An app's config module: its class of variables and the loader the app starts with. */
interface ConfigModule {
  configClass: new () => object;
  load: (env: NodeJS.ProcessEnv) => { PORT: number } & Record<string, unknown>;
}

/**
 * Loaded by path at run time: tools may not import apps (the module boundaries), and this
 * test is about what the apps themselves accept, so it must run their code, not a copy.
 */
async function configModule(app: StackApp): Promise<ConfigModule> {
  const exports = (await import(join(ROOT, 'apps', app, 'src', 'config'))) as Record<string, unknown>;
  const entries = Object.entries(exports);
  const configClass = entries.find(([name, value]) => /^[A-Z]\w*Config$/.test(name) && typeof value === 'function')?.[1];
  const load = entries.find(([name, value]) => /^[a-z]\w*Config$/.test(name) && typeof value === 'function')?.[1];
  if (!configClass || !load) throw new Error(`apps/${app}/src/config.ts exports no <App>Config class and <app>Config loader`);
  return { configClass, load } as ConfigModule;
}

/** The variables an app reads: its config class's validated properties, inherited ones included. */
function declaredVariables(configClass: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

/** The health controller's routes, as Nest maps them. */
async function healthRoutes(): Promise<{ live: string; ready: string }> {
  const { HealthController } = (await import(join(ROOT, 'libs/service-kit/src/health/health.controller'))) as {
    HealthController: { prototype: Record<'live' | 'ready', object> };
  };
  const route = (method: 'live' | 'ready') => `/${String(Reflect.getMetadata(PATH_METADATA, HealthController.prototype[method]))}`;
  return { live: route('live'), ready: route('ready') };
}

/** What a Secret would hold, for running an app's loader on the env the chart renders: valid, and never in the chart. */
const SECRET_STAND_INS: Record<string, string> = {
  GATEWAY_API_KEYS: 'helm-check:editor:0123456789abcdef-not-a-real-key',
  MONGO_URL: 'mongodb://mongo-0.mongo:27017,mongo-1.mongo:27017,mongo-2.mongo:27017/?replicaSet=rs0',
};

function environmentOf(container: Container): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const variable of container.env ?? []) {
    if (variable.valueFrom?.secretKeyRef) {
      const standIn = SECRET_STAND_INS[variable.name];
      if (standIn === undefined) throw new Error(`${container.name}: ${variable.name} from a Secret has no stand-in in this test`);
      env[variable.name] = standIn;
    } else {
      env[variable.name] = variable.value;
    }
  }
  return env;
}

/** The gateway's variables for where its upstream apps listen (OPERATION_VIEW_URL, POPULATION_URL…), as it declares them. */
const upstreamVariables = (): string[] => declaredVariables(configs['api-gateway'].configClass).filter((name) => name.endsWith('_URL'));

/** Variables the chart wires itself (from kafka, mongodb, apiKeys and its Services) rather than from `config`. */
const wired = (): string[] => ['PORT', 'KAFKA_BROKERS', 'MONGO_URL', 'GATEWAY_API_KEYS', ...upstreamVariables()];
/** Fault injection for tools/faults, never set in production (README): the chart leaves it out on purpose. */
const NOT_FOR_PRODUCTION = ['OUTBOX_RELAY_START_DELAY_MS'];

const mebibytes = (quantity: string): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

/** tools/runtime/node-flags.js: the heap ceiling each app runs with, in the image as in the stack. */
const { nodeFlags } = createRequire(__filename)(join(ROOT, 'tools/runtime/node-flags.js')) as { nodeFlags(app: string): string[] };
const heapCeilingMb = (app: string): number => Number(/--max-old-space-size=(\d+)/.exec(nodeFlags(app).join(' '))?.[1] ?? 0);

let helm = '';
const configs = {} as Record<StackApp, ConfigModule>;
let routes = { live: '', ready: '' };

beforeAll(async () => {
  // The first run on a machine builds helm (minutes); later runs find it cached.
  helm = await ensureHelm();
  for (const app of STACK_APPS) configs[app] = await configModule(app);
  routes = await healthRoutes();
}, 30 * 60_000);

describe('deploy/helm/focus', () => {
  it.each(CI_VALUES)('passes helm lint --strict with %s', (values) => {
    const { ok, output } = runHelm(helm, ['lint', '.', '--strict', '--values', values]);
    expect({ ok, output }).toEqual({ ok: true, output: expect.stringContaining('1 chart(s) linted, 0 chart(s) failed') });
  });

  it('refuses to render without brokers, a MongoDB URL and the API keys Secret, naming what is missing', () => {
    const bare = template(helm, []);
    expect(bare.ok).toBe(false);
    expect(bare.output).toContain('kafka.brokers is required');
    const noMongo = template(helm, [], { 'kafka.brokers[0]': 'kafka:9092', 'apiKeys.existingSecret': 'keys' });
    expect(noMongo.ok).toBe(false);
    expect(noMongo.output).toContain('mongodb.url is required');
    const noKeys = template(helm, [], { 'kafka.brokers[0]': 'kafka:9092', 'mongodb.url': 'mongodb://mongo:27017/?replicaSet=rs0' });
    expect(noKeys.ok).toBe(false);
    expect(noKeys.output).toContain('apiKeys.existingSecret is required');
  });

  it('refuses a broker without a port, and more aggregator replicas than partitions', () => {
    const [minimal] = CI_VALUES.filter((file) => file.includes('minimal'));
    const portless = template(helm, [minimal], { 'kafka.brokers[0]': 'kafka' });
    expect(portless.ok).toBe(false);
    expect(portless.output).toMatch(/kafka\.brokers/);
    const idle = template(helm, [minimal], { 'config.KAFKA_TOPIC_PARTITIONS': '3' });
    expect(idle.ok).toBe(false);
    expect(idle.output).toContain('the replicas past it would get no partition');
  });

  it('values.yaml has a setting for every variable each app reads, besides those the chart wires itself', () => {
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
      apps: Record<string, { config: Record<string, unknown> }>;
    };
    for (const app of STACK_APPS) {
      const settable = new Set([...Object.keys(values.config), ...Object.keys(values.apps[app].config), ...wired(), ...NOT_FOR_PRODUCTION]);
      const missing = declaredVariables(configs[app].configClass).filter((variable) => !settable.has(variable));
      expect({ app, missing }).toEqual({ app, missing: [] });
    }
  });
});

describe.each(CI_VALUES)('deploy/helm/focus rendered with %s', (valuesFile) => {
  let manifests: Manifest[] = [];
  const values = () =>
    parse(readFileSync(join(CHART_DIR, valuesFile), 'utf8')) as {
      image?: { registry?: string; tag?: string };
      kafka: { brokers: string[] };
    };
  const imagePrefix = () => (values().image?.registry ? `${values().image?.registry}/` : '');
  /** The tag given, or the chart's appVersion. */
  const imageTag = () =>
    values().image?.tag ?? (parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { appVersion: string }).appVersion;
  const all = (kind: string) => manifests.filter((m) => m.kind === kind);
  const one = (kind: string, name: string): Manifest => {
    const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
    if (!found)
      throw new Error(`no ${kind} ${name} in the rendered chart (${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')})`);
    return found;
  };
  const deployment = (app: StackApp) => one('Deployment', `focus-${app}`);
  const pod = (app: StackApp): PodSpec => deployment(app).spec.template.spec as PodSpec;
  const container = (app: StackApp): Container => {
    const containers = pod(app).containers;
    expect(containers).toHaveLength(1);
    return containers[0];
  };
  const env = (app: StackApp, name: string): EnvVar | undefined => container(app).env?.find((v) => v.name === name);

  beforeAll(() => {
    manifests = render(helm, [valuesFile]);
  });

  it('has a Deployment, a Service and a PodDisruptionBudget for every app, and nothing for an app that does not exist', () => {
    const names = (kind: string) =>
      all(kind)
        .map((m) => m.metadata.name)
        .sort();
    const expected = STACK_APPS.map((app) => `focus-${app}`).sort();
    expect(names('Deployment')).toEqual(expected);
    expect(names('Service')).toEqual(expected);
    expect(names('PodDisruptionBudget')).toEqual(expected);
  });

  it.each(STACK_APPS)('runs %s from its image as the Dockerfile builds it (--build-arg APP)', (app) => {
    expect(container(app).image).toBe(`${imagePrefix()}focus/${app}:${imageTag()}`);
  });

  it.each(STACK_APPS)('%s listens where the Service, the probes and the app itself agree', (app) => {
    const c = container(app);
    expect(c.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: DEFAULT_PORTS[app] })]);
    // The port the app binds, as its own loader reads it from the env the chart gives it.
    expect(configs[app].load(environmentOf(c)).PORT).toBe(DEFAULT_PORTS[app]);
    const service = one('Service', `focus-${app}`).spec;
    expect(service.ports).toEqual([expect.objectContaining({ port: DEFAULT_PORTS[app], targetPort: 'http' })]);
    for (const [label, value] of Object.entries(service.selector as Record<string, string>)) {
      expect(deployment(app).spec.template.metadata.labels[label]).toBe(value);
    }
  });

  it.each(STACK_APPS)("%s is probed on the health controller's routes", (app) => {
    const c = container(app);
    expect(routes.live).toMatch(/^\/\S+$/);
    expect(routes.ready).toMatch(/^\/\S+$/);
    expect(c.readinessProbe?.httpGet).toEqual({ path: routes.ready, port: 'http' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: routes.live, port: 'http' });
    expect(c.startupProbe?.httpGet).toEqual({ path: routes.live, port: 'http' });
  });

  it.each(STACK_APPS)('%s gets every variable it requires, each one it reads and valid: its own loader accepts them', (app) => {
    const c = container(app);
    const rendered = environmentOf(c);
    // Throws naming each missing or malformed variable, exactly as the app would at start-up.
    const config = configs[app].load(rendered);
    expect(config.NODE_ENV).toBe('production');
    expect(config['KAFKA_BROKERS']).toBe(values().kafka.brokers.join(','));
    const declared = declaredVariables(configs[app].configClass);
    const unknown = Object.keys(rendered).filter((name) => !declared.includes(name));
    expect({ app, unknown }).toEqual({ app, unknown: [] });
    for (const name of NOT_FOR_PRODUCTION) expect(rendered[name]).toBeUndefined();
  });

  it.each(STACK_APPS)('%s has resources whose memory limit leaves room above its heap ceiling (tools/runtime/node-flags.js)', (app) => {
    const { requests, limits } = container(app).resources ?? {};
    expect(requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    expect(limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
    expect(heapCeilingMb(app)).toBeGreaterThan(0);
    expect(mebibytes(limits!['memory'])).toBeGreaterThanOrEqual(2 * heapCeilingMb(app));
    expect(mebibytes(requests!['memory'])).toBeLessThanOrEqual(mebibytes(limits!['memory']));
  });

  it.each(STACK_APPS)('%s runs as a non-root user, read-only, without privileges', (app) => {
    expect(pod(app).securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: expect.any(Number) }));
    expect(pod(app).securityContext?.['runAsUser']).not.toBe(0);
    expect(container(app).securityContext).toEqual(
      expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }),
    );
  });

  it('the gateway finds each upstream at its Service, and takes its API keys from the Secret, never inlined', () => {
    const reached = upstreamVariables().map((variable) => {
      const url = new URL(env('api-gateway', variable)?.value ?? '');
      const service = one('Service', url.hostname);
      expect(Number(url.port)).toBe(service.spec.ports[0].port);
      const app = service.spec.selector['app.kubernetes.io/name'] as string;
      expect(variable).toBe(`${app.toUpperCase().replace(/-/g, '_')}_URL`);
      return app;
    });
    expect(reached.sort()).toEqual(STACK_APPS.filter((app) => app !== 'api-gateway').sort());
    expect(env('api-gateway', 'GATEWAY_API_KEYS')).toEqual({
      name: 'GATEWAY_API_KEYS',
      valueFrom: { secretKeyRef: { name: 'focus-api-keys', key: 'GATEWAY_API_KEYS' } },
    });
    expect(all('Secret')).toEqual([]);
    expect(JSON.stringify(manifests)).not.toContain('local-dev-editor');
    // The portal is served as today: from the build inside the gateway's image, at /.
    expect(env('api-gateway', 'PORTAL_DIR')).toBeUndefined();
    for (const app of STACK_APPS) if (app !== 'api-gateway') expect(env(app, 'GATEWAY_API_KEYS')).toBeUndefined();
  });

  it('the domain services and the aggregator get the replica set URL, each its own database', () => {
    const databases = STACK_APPS.filter((app) => app !== 'api-gateway').map((app) => {
      const mongo = env(app, 'MONGO_URL');
      expect(mongo?.value ?? mongo?.valueFrom?.secretKeyRef?.name).toBeTruthy();
      return configs[app].load(environmentOf(container(app)))['MONGO_DB'];
    });
    expect(new Set(databases).size).toBe(databases.length);
  });

  it('autoscales the gateway and the aggregator on CPU (no fixed replicas to fight it); the aggregator within its partitions', () => {
    const autoscalers = all('HorizontalPodAutoscaler');
    expect(autoscalers.map((m) => m.spec.scaleTargetRef.name).sort()).toEqual(['focus-api-gateway', 'focus-operation-view']);
    for (const hpa of autoscalers) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
      expect(one('Deployment', hpa.spec.scaleTargetRef.name).spec.replicas).toBeUndefined();
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.metrics).toEqual([expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) })]);
    }
    const aggregator = one('HorizontalPodAutoscaler', 'focus-operation-view');
    const partitions = configs['operation-view'].load(environmentOf(container('operation-view')))['KAFKA_TOPIC_PARTITIONS'];
    expect(aggregator.spec.maxReplicas).toBeLessThanOrEqual(partitions as number);
    for (const app of STACK_APPS.filter((a) => a !== 'api-gateway' && a !== 'operation-view')) {
      expect(deployment(app).spec.replicas).toBeGreaterThanOrEqual(2);
    }
  });

  it('each PodDisruptionBudget covers its own app’s pods', () => {
    for (const app of STACK_APPS) {
      const pdb = one('PodDisruptionBudget', `focus-${app}`);
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(pdb.spec.minAvailable ?? pdb.spec.maxUnavailable).toBeDefined();
      expect(pdb.spec.selector.matchLabels).toEqual(deployment(app).spec.selector.matchLabels);
    }
  });

  it("loads the seed with the Dockerfile's seed image through the gateway's Service, its key from a Secret", () => {
    const job = one('Job', 'focus-seed');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('post-install,post-upgrade');
    const spec = job.spec.template.spec as PodSpec & { restartPolicy: string };
    expect(spec.restartPolicy).toBe('Never');
    const [seed] = spec.containers;
    expect(seed.image).toBe(`${imagePrefix()}focus/seed:${imageTag()}`);
    const api = new URL(seed.env?.find((v) => v.name === 'FOCUS_API_URL')?.value ?? '');
    expect(api.pathname).toBe('/api/v1');
    const gateway = one('Service', api.hostname);
    expect(gateway.spec.selector['app.kubernetes.io/name']).toBe('api-gateway');
    expect(Number(api.port)).toBe(DEFAULT_PORTS['api-gateway']);
    expect(seed.env?.find((v) => v.name === 'FOCUS_API_KEY')?.valueFrom?.secretKeyRef?.name).toBe('focus-api-keys');
    expect(spec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true }));
    expect(seed.securityContext).toEqual(expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }));
  });

  it('the Ingress sends everything (the API, its docs and the portal) to the gateway', () => {
    const [ingress] = all('Ingress');
    const [path] = ingress.spec.rules[0].http.paths;
    expect(path).toEqual({ path: '/', pathType: 'Prefix', backend: { service: { name: 'focus-api-gateway', port: { name: 'http' } } } });
  });
});
