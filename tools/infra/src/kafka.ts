import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST, InfraConfig } from './config';
import { InfraError, Log } from './errors';
import { capture, findExecutable, requireExecutable, runLogged } from './processes';
import { kafkaAnswers } from './readiness';
import { installOnce, launch, Service } from './service';

/**
 * Apache Kafka from Maven Central (the jars of org.apache.kafka:kafka_2.13 are the broker),
 * run as KRaft nodes that are each both broker and controller: one by default, or a cluster
 * of config.kafka.nodes (`up --brokers 3`), one process per node, all from the same jars.
 */
export function kafkaServices(config: InfraConfig): Service[] {
  // The nodes start in parallel but share one jars folder: one Maven run for all of them.
  let installing: Promise<void> | undefined;
  const installShared = (install: () => Promise<void>) => (installing ??= install());
  return Array.from({ length: config.kafka.nodes }, (_, i) => kafkaNode(config, i + 1, installShared));
}

function kafkaNode(config: InfraConfig, nodeId: number, installShared: (install: () => Promise<void>) => Promise<void>): Service {
  const { version, nodes } = config.kafka;
  const port = config.kafka.port + nodeId - 1;
  const controllerPort = config.kafka.controllerPort + nodeId - 1;
  const cluster = nodes > 1;
  const projectDir = join(config.sourceDir, 'kafka');
  const distDir = join(config.home, `kafka-${version}`);
  const libs = join(distDir, 'libs');
  // A cluster's nodes keep their data apart from the single node's: a KRaft log formatted
  // for one voter cannot join a quorum of three.
  const clusterDir = join(config.home, 'data', cluster ? 'kafka-cluster' : 'kafka');
  const dataDir = cluster ? join(clusterDir, `node-${nodeId}`) : clusterDir;
  const logDir = join(dataDir, 'log');
  const properties = join(dataDir, 'server.properties');
  // Every JVM we launch gets our log4j config: without one, log4j2 warns and logs errors
  // only. java expands the classpath wildcard itself.
  const classpath = [`-Dlog4j2.configurationFile=${join(projectDir, 'log4j2.properties')}`, '-cp', join(libs, '*')];
  let javaCheck: Promise<string> | undefined;
  const java = () => (javaCheck ??= requireJava());
  const url = `${HOST}:${port}`;

  const service: Service = {
    name: 'kafka',
    key: nodeId === 1 ? 'kafka' : `kafka.${nodeId}`,
    version,
    ports: [port, controllerPort],
    url,
    dataDir,
    logFile: join(config.home, nodeId === 1 ? 'kafka.log' : `kafka.${nodeId}.log`),
    commandMarker: properties,
    // Not adopted by a `up` that asks for another size: its quorum would not match.
    variant: cluster ? `cluster of ${nodes}` : undefined,
    // A cold JVM on two cores takes a while to load ~45 jars and elect itself.
    readyTimeoutMs: 120_000,

    install: (log) =>
      installShared(async () => {
        await java(); // Maven needs it too: fail with the JDK hint rather than a Maven error
        await installOnce({
          log,
          marker: join(distDir, '.installed'),
          product: join(libs, `kafka_2.13-${version}.jar`),
          // The version is in distDir's name already; -Dkafka.version overrides the pom's default.
          inputFiles: [join(projectDir, 'pom.xml')],
          prerequisites: async () => requireExecutable('mvn', 'install Maven (apt-get install maven).'),
          announce: `resolving ${version} jars with Maven (first run only, ~1-2 min)…`,
          run: async (mvn) => {
            rmSync(libs, { recursive: true, force: true });
            mkdirSync(distDir, { recursive: true });
            await runLogged(
              mvn,
              [
                '-q',
                '-B',
                '-Dstyle.color=never',
                'dependency:copy-dependencies',
                '-DincludeScope=runtime',
                `-DoutputDirectory=${libs}`,
                `-Dkafka.version=${version}`,
              ],
              { cwd: projectDir, logFile: join(config.home, 'kafka-install.log') },
            );
          },
        });
      }),

    async start(log) {
      const javaPath = await java();
      mkdirSync(logDir, { recursive: true });
      // Rewritten on every start: the ports come from the environment and may have changed.
      writeFileSync(properties, serverProperties(config, nodeId, logDir));
      await formatStorageOnce(javaPath, log);
      return launch(
        service,
        javaPath,
        [
          // A cluster's three heaps share the machine with the whole stack: see the README.
          ...(cluster ? ['-Xmx384m', '-Xms128m'] : ['-Xmx640m', '-Xms256m']),
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          ...classpath,
          'kafka.Kafka',
          properties,
        ],
        dataDir,
      );
    },

    // A node of a cluster is ready once it is registered as a broker, not merely answering:
    // apps size replication by the brokers they see.
    answers: () => kafkaAnswers(url, cluster ? nodeId : undefined),
  };

  async function formatStorageOnce(javaPath: string, log: Log): Promise<void> {
    if (existsSync(join(logDir, 'meta.properties'))) return;
    // One id for every node of a cluster: they format their own storage with it.
    const clusterIdFile = join(clusterDir, 'cluster.id');
    // Written synchronously, with no await between the check and the write: a cluster's nodes
    // format at the same time, and each must find the one id the first of them wrote.
    if (!existsSync(clusterIdFile)) writeFileSync(clusterIdFile, `${randomClusterId()}\n`);
    const clusterId = readFileSync(clusterIdFile, 'utf8').trim();
    log(`formatting storage in ${logDir} (cluster id ${clusterId}${cluster ? `, node ${nodeId} of ${nodes}` : ''})`);
    await capture(javaPath, [...classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, '--ignore-formatted']);
  }

  return service;
}

function serverProperties(config: InfraConfig, nodeId: number, logDir: string): string {
  const { nodes, port, controllerPort } = config.kafka;
  const voters = Array.from({ length: nodes }, (_, i) => `${i + 1}@${HOST}:${controllerPort + i}`).join(',');
  // Internal topics replicated like the apps' own: three copies, two of them to accept a write.
  const replicas = Math.min(3, nodes);
  const minIsr = Math.max(1, Math.min(2, replicas - 1));
  return `# Generated by tools/infra on every start; edit tools/infra/src/kafka.ts instead.
process.roles=broker,controller
node.id=${nodeId}
controller.quorum.voters=${voters}
listeners=PLAINTEXT://${HOST}:${port + nodeId - 1},CONTROLLER://${HOST}:${controllerPort + nodeId - 1}
advertised.listeners=PLAINTEXT://${HOST}:${port + nodeId - 1}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${logDir}

# ${nodes === 1 ? 'One node: every internal topic must make do with a single replica.' : `${nodes} nodes: ${replicas} replicas, ${minIsr} in sync to accept a write.`}
offsets.topic.replication.factor=${replicas}
transaction.state.log.replication.factor=${replicas}
transaction.state.log.min.isr=${minIsr}
share.coordinator.state.topic.replication.factor=${replicas}
share.coordinator.state.topic.min.isr=${minIsr}
min.insync.replicas=${minIsr}
default.replication.factor=${replicas}
# Never elect a replica that missed acknowledged writes (the default, said out loud).
unclean.leader.election.enable=false

# One partition for each internal topic, as Testcontainers' Kafka does: a fresh broker creates
# __consumer_offsets on its first group join, and 50 partitions (the default) took long enough
# on a loaded machine that kafkajs' join retries backed off for minutes.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.num.partitions=1

# Tests create their topics explicitly, so a typo fails loudly instead of creating a topic.
auto.create.topics.enable=false
num.partitions=3
# Tests start consumers constantly; the default 3 s delay would slow every group join.
group.initial.rebalance.delay.ms=0
`;
}

/**
 * What `kafka-storage random-uuid` prints: 16 random bytes in URL-safe base64 without padding
 * (22 characters), never starting with "-", which a command line would take for an option.
 */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Kafka 4 brokers need Java 17+. JAVA_HOME wins, as in Kafka's own start scripts. */
async function requireJava(): Promise<string> {
  const hint = 'install JDK 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME.';
  const fromHome = process.env['JAVA_HOME'] && join(process.env['JAVA_HOME'], 'bin', 'java');
  const java = fromHome && existsSync(fromHome) ? fromHome : findExecutable('java');
  if (!java) throw new InfraError(`\`java\` is not on PATH: ${hint}`);
  const banner = await capture(java, ['-version']);
  const match = /version "(?:1\.)?(\d+)/.exec(banner);
  if (!match || Number(match[1]) < 17) {
    throw new InfraError(`${java} is too old for Kafka 4 (${banner.split('\n')[0].trim()}): ${hint}`);
  }
  return java;
}
