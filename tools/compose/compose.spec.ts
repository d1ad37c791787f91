import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

// These machines have no Docker engine: the compose file and the Dockerfile are checked as
// structure. Whatever `docker compose up` would trip on first (an app missing, a wrong port,
// an address no container answers on, a start order without health) is caught here.
const root = resolve(__dirname, '../..');

interface Service {
  build?: { context: string; args?: Record<string, string>; target?: string };
  image?: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  deploy?: { replicas?: number };
  volumes?: string[];
  network_mode?: string;
  extra_hosts?: string[];
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
/** Every deployable: an app with a serve target (the portal is static files the gateway serves). */
const apps = readdirSync(join(root, 'apps')).filter((app) => {
  const project = join(root, 'apps', app, 'project.json');
  return (
    existsSync(project) && Boolean((JSON.parse(readFileSync(project, 'utf8')) as { targets?: Record<string, unknown> }).targets?.['serve'])
  );
});
const domainApps = apps.filter((app) => app !== 'api-gateway');
const scalable = apps.filter((app) => services[app]?.deploy !== undefined);
const internalKafka = 'kafka:29092';

describe('docker-compose.yml', () => {
  it('has Kafka, MongoDB, every app and the one-shot seed', () => {
    expect(apps).toEqual(expect.arrayContaining(['population', 'budget', 'narratives', 'contributions', 'operation-view', 'api-gateway']));
    expect(Object.keys(services).sort()).toEqual(['kafka', 'mongo', 'seed', ...apps].sort());
  });

  it.each(apps)('%s is built from the Dockerfile with its APP, publishes its PORT and has a readiness healthcheck', (app) => {
    const service = services[app];
    expect(service.build).toEqual({ context: '.', args: { APP: app } });
    const port = String(service.environment?.['PORT']);
    expect(port).toMatch(/^\d+$/);
    // A service that scales out publishes its port on a free host port per replica (a fixed one would collide).
    expect(service.ports).toEqual([scalable.includes(app) ? port : `${port}:${port}`]);
    expect(service.healthcheck?.test.join(' ')).toContain('/health/ready');
  });

  it('shows how the aggregator runs several replicas: deploy.replicas, and no fixed host port', () => {
    expect(services['operation-view'].deploy?.replicas).toBe(1);
    expect(scalable).toEqual(['operation-view']);
  });

  it("keeps Kafka's log directory on its volume, so a recreated container keeps the topics", () => {
    const kafka = services['kafka'];
    const [volume, mountPath] = String(kafka.volumes?.[0]).split(':');
    expect(volume).toBe('kafka-data');
    expect(kafka.environment?.['KAFKA_LOG_DIRS']).toBe(mountPath);
  });

  it.each(domainApps)(
    '%s reaches MongoDB and Kafka on their container addresses, with a database of its own, after both are healthy',
    (app) => {
      const env = services[app].environment ?? {};
      expect(env['MONGO_URL']).toBe('mongodb://mongo:27017/');
      expect(env['KAFKA_BROKERS']).toBe(internalKafka);
      expect(services[app].depends_on).toEqual({ kafka: { condition: 'service_healthy' }, mongo: { condition: 'service_healthy' } });
      const databases = domainApps.map((a) => services[a].environment?.['MONGO_DB']);
      expect(new Set(databases).size).toBe(domainApps.length);
    },
  );

  it('Kafka advertises the internal listener the apps use, and both servers have healthchecks', () => {
    expect(String(services['kafka'].environment?.['KAFKA_ADVERTISED_LISTENERS'])).toContain(`INTERNAL://${internalKafka}`);
    expect(services['kafka'].healthcheck).toBeDefined();
    expect(services['mongo'].healthcheck).toBeDefined();
  });

  it('the gateway finds every upstream at its container address and port, and starts after they are healthy', () => {
    const gateway = services['api-gateway'];
    const env = gateway.environment ?? {};
    const upstream: Record<string, string> = {
      OPERATION_VIEW_URL: 'operation-view',
      POPULATION_URL: 'population',
      BUDGET_URL: 'budget',
      NARRATIVES_URL: 'narratives',
      CONTRIBUTIONS_URL: 'contributions',
    };
    for (const [variable, app] of Object.entries(upstream))
      expect(env[variable]).toBe(`http://${app}:${services[app].environment?.['PORT']}`);
    expect(env['PORT']).toBe(3000);
    expect(env['KAFKA_BROKERS']).toBe(internalKafka);
    expect(String(env['GATEWAY_API_KEYS'])).toContain(':editor:local-dev-editor');
    // The image runs NODE_ENV=production, where the gateway refuses the local editor key: the
    // local stack must say it is one, or the gateway never becomes healthy.
    expect(env['NODE_ENV']).toBe('development');
    expect(gateway.depends_on).toEqual(Object.fromEntries(domainApps.map((app) => [app, { condition: 'service_healthy' }])));
  });

  it('the seed runs once against the gateway, when the gateway is healthy', () => {
    const seed = services['seed'];
    expect(seed.build).toEqual({ context: '.', target: 'seed' });
    expect(seed.restart).toBe('no');
    expect(seed.environment?.['FOCUS_API_URL']).toBe('http://api-gateway:3000/api/v1');
    expect(seed.depends_on).toEqual({ 'api-gateway': { condition: 'service_healthy' } });
  });
});

describe('tools/docker/compose.host-network.yml, the override for an engine without a bridge', () => {
  const overrideText = readFileSync(join(root, 'tools/docker/compose.host-network.yml'), 'utf8');
  // Compose's own `!reset` tag is unknown to the YAML parser, which reads the list under it as it is.
  const override = parse(overrideText, { logLevel: 'error' }) as {
    services: Record<string, Service & { ports?: unknown; build?: unknown }>;
  };

  it('covers every service, on the host network with every service name mapped to the host', () => {
    expect(Object.keys(override.services).sort()).toEqual(Object.keys(services).sort());
    for (const service of Object.values(override.services)) {
      expect(service.network_mode).toBe('host');
      expect([...(service.extra_hosts ?? [])].sort()).toEqual(
        [...Object.keys(services).filter((name) => name !== 'seed'), '${FOCUS_HOSTNAME:-localhost}']
          .map((name) => `${name}:127.0.0.1`)
          .sort(),
      );
    }
  });

  it('changes only the networking: no second copy of the compose file', () => {
    for (const [name, service] of Object.entries(override.services)) {
      expect(Object.keys(service).filter((key) => !['network_mode', 'extra_hosts', 'ports', 'build'].includes(key))).toEqual([]);
      if (service.ports !== undefined) expect(service.ports).toEqual([]);
      if (service.build !== undefined) expect(service.build).toEqual({ network: 'host' });
      expect(service.ports !== undefined).toBe(services[name].ports !== undefined);
      expect(service.build !== undefined).toBe(services[name].build !== undefined);
    }
    // Reset, not merged into: written per service (through a merge key Compose ignored it).
    expect(overrideText.match(/^ {4}ports: !reset \[\]$/gm)?.length).toBe(Object.values(services).filter((s) => s.ports).length);
  });
});

describe('Dockerfile', () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gm)].map((m) => m[1]);

  it('is multi-stage, with the app image last (the default target) and a seed target', () => {
    expect(stages).toEqual(expect.arrayContaining(['deps', 'build', 'seed', 'app']));
    expect(stages.at(-1)).toBe('app');
  });

  it('runs as the unprivileged node user, with production dependencies only, and checks readiness', () => {
    const appStage = dockerfile.slice(dockerfile.lastIndexOf('FROM'));
    expect(appStage).toMatch(/^USER node$/m);
    expect(appStage).toContain('HEALTHCHECK');
    expect(appStage).toContain('/health/ready');
    expect(dockerfile).toContain('npm prune --omit=dev');
    const seedStage = dockerfile.slice(dockerfile.indexOf('AS seed\n'), dockerfile.indexOf('AS build'));
    expect(seedStage).toMatch(/^USER node$/m);
  });

  it('gives every app the one production node_modules layer, on a runtime without a package manager', () => {
    const appStage = dockerfile.slice(dockerfile.lastIndexOf('FROM'));
    expect(appStage).toMatch(/^FROM runtime AS app$/m);
    expect(appStage).toMatch(/^COPY --from=prod-deps \/repo\/node_modules \.\/node_modules$/m);
    // The production dependencies do not depend on the app: the stage that prunes them takes no APP.
    const prodDeps = dockerfile.slice(dockerfile.indexOf('AS prod-deps'), dockerfile.indexOf('AS runtime-files'));
    expect(prodDeps).not.toContain('APP');
    expect(dockerfile).toMatch(/^FROM scratch AS runtime$/m);
  });

  it.each(apps)('starts %s with the Node flags the stack gives it (tools/runtime/node-flags.js)', (app) => {
    const [, command] = /^CMD \["sh", "-c", (".*")\]$/m.exec(dockerfile) ?? [];
    expect(command).toBeDefined();
    // The CMD's own shell line, run from the image's layout (the repository's root), printed instead of run.
    const line = (JSON.parse(command ?? '""') as string).replace(/^exec node /, 'echo node ');
    const printed = execFileSync('sh', ['-c', line], { cwd: root, env: { ...process.env, APP: app }, encoding: 'utf8' }).trim();
    const { nodeFlags } = createRequire(__filename)(join(root, 'tools/runtime/node-flags.js')) as { nodeFlags(app: string): string[] };
    expect(printed).toBe(
      ['node', ...nodeFlags(app), '-r', './tools/runtime/register-aliases.js', `dist/out-tsc/apps/${app}/src/main.js`].join(' '),
    );
  });

  it('gives every app the malloc settings the stack gives it (tools/runtime/node-flags.js)', () => {
    const appStage = dockerfile.slice(dockerfile.lastIndexOf('FROM'));
    const { MALLOC_ENVIRONMENT } = createRequire(__filename)(join(root, 'tools/runtime/node-flags.js')) as {
      MALLOC_ENVIRONMENT: Record<string, string>;
    };
    expect(Object.keys(MALLOC_ENVIRONMENT).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(MALLOC_ENVIRONMENT))
      expect(appStage).toMatch(new RegExp(`^ENV .*\\b${name}=${value}\\b`, 'm'));
  });
});
