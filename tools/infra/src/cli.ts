/**
 * `npm run infra -- up|down|status|env`: see tools/infra/README.md.
 *
 * Output contract, relied on by libs/testing: progress lines go to stdout prefixed with the
 * service name; `up` ends with KAFKA_BROKERS=…, MONGO_URL=… and STARTED=… lines, and no other
 * line looks like NAME=value. Failures go to stderr and exit non-zero.
 */
import { connection, down, InfraError, SERVICE_NAMES, ServiceName, status, up } from './index';
import { seconds } from './service';

const USAGE = `Usage: npm run infra -- <command> [kafka|ferretdb|postgres]… [flags]

  up [service…] [--brokers N]
                            install what is missing (cached), start what is not running,
                            wait until it answers, then print KAFKA_BROKERS=… and MONGO_URL=…
                            (postgres runs only for FOCUS_FERRETDB_BACKEND=postgresql);
                            --brokers 3: a three-node Kafka cluster instead of one broker
                            (later commands find it in state.json: no flag needed)
  down [service…] [--wipe]  stop what \`up\` started; --wipe also deletes the data dirs
  status                    running/stopped, pid, address and readiness of each server
  env [--export]            print KAFKA_BROKERS=… and MONGO_URL=… (eval "$(npm run -s infra -- env --export)")

Settings (environment): FOCUS_KAFKA_NODES (= --brokers), FOCUS_KAFKA_PORT, FOCUS_KAFKA_CONTROLLER_PORT, FOCUS_MONGO_PORT,
FOCUS_POSTGRES_PORT, FOCUS_FERRETDB_BACKEND (postgresql|sqlite), FOCUS_KAFKA_VERSION,
FOCUS_INFRA_HOME. See tools/infra/README.md.`;

const FLAGS: Record<string, string[]> = { up: ['--brokers'], down: ['--wipe'], status: [], env: ['--export'] };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const { rest, brokers } = takeBrokers(args);
  if (brokers !== undefined && !/^\d+$/.test(brokers)) return usageError(`--brokers takes a number of nodes (got "${brokers}")`);
  // The flag is FOCUS_KAFKA_NODES for this call; tools/infra validates it like any setting.
  const env = brokers === undefined ? process.env : { ...process.env, FOCUS_KAFKA_NODES: brokers };
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  const allowedFlags = FLAGS[command];
  if (!allowedFlags) return usageError(`unknown command "${command}"`);
  const flags = rest.filter((arg) => arg.startsWith('-'));
  const badFlag = [...flags, ...(brokers === undefined ? [] : ['--brokers'])].find((flag) => !allowedFlags.includes(flag));
  if (badFlag) return usageError(`unknown flag "${badFlag}" for ${command}`);
  const names = rest.filter((arg) => !arg.startsWith('-'));
  const badName = names.find((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
  if (badName) return usageError(`unknown service "${badName}" (expected ${SERVICE_NAMES.join(' or ')})`);
  // Without names, index.ts decides (PostgreSQL only when FerretDB uses it).
  const services = names.length > 0 ? (names as ServiceName[]) : undefined;
  const shown = services ?? ['kafka', 'ferretdb'];

  switch (command) {
    case 'up': {
      const startedAt = Date.now();
      const result = await up({ services, env });
      console.log(`up: done in ${seconds(startedAt)} s`);
      printConnection(shown, result, '');
      console.log(`STARTED=${result.started.join(',')}`);
      return 0;
    }
    case 'down': {
      const result = await down({ services, wipe: flags.includes('--wipe') });
      console.log(`down: ${result.stopped.length > 0 ? `stopped ${result.stopped.join(', ')}` : 'nothing of ours was running'}`);
      return 0;
    }
    case 'status': {
      const result = await status({ services });
      for (const service of result.services) {
        console.log(
          [
            service.key.padEnd(9),
            service.state.padEnd(8),
            (service.pid ? `pid ${service.pid}` : '-').padEnd(11),
            service.address.padEnd(45),
            (service.ready ? 'ready' : 'not ready').padEnd(10),
            service.version.padEnd(7),
            service.note ?? `log ${service.logFile}`,
          ].join(' '),
        );
      }
      return 0;
    }
    default: {
      printConnection(shown, connection(), flags.includes('--export') ? 'export ' : '');
      return 0;
    }
  }
}

function printConnection(services: readonly ServiceName[], values: { kafkaBrokers: string; mongoUrl: string }, prefix: string) {
  if (services.includes('kafka')) console.log(`${prefix}KAFKA_BROKERS=${values.kafkaBrokers}`);
  if (services.includes('ferretdb')) console.log(`${prefix}MONGO_URL=${values.mongoUrl}`);
}

/** `--brokers N` or `--brokers=N`, taken out of the arguments. */
function takeBrokers(args: string[]): { rest: string[]; brokers?: string } {
  const rest: string[] = [];
  let brokers: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = args[i].split('=', 2);
    if (flag !== '--brokers') rest.push(args[i]);
    else if (value !== undefined) brokers = value;
    else brokers = args[++i] ?? '';
  }
  return { rest, brokers };
}

function usageError(message: string): number {
  console.error(`infra: ${message}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // InfraErrors already say what to do; anything else is a bug in tools/infra, so keep its stack.
    console.error(error instanceof InfraError ? `✖ ${error.message}` : error);
    process.exitCode = 1;
  },
);
