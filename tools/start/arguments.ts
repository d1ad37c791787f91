/** `npm start`'s arguments. */

/** `--replicas N` (or `--replicas=N`): how many processes of each owner and of the aggregator; 1 without it. */
export function replicasFromArguments(args: string[]): number {
  if (args.length === 0) return 1;
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--replicas') value = args[++i];
    else if (args[i].startsWith('--replicas=')) value = args[i].slice('--replicas='.length);
    else throw new Error(`unknown argument ${JSON.stringify(args[i])}; npm start takes only --replicas N`);
  }
  // A ceiling against a slip of the finger: every replica is a process of its own on this one machine.
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 9) {
    throw new Error(`--replicas takes a whole number from 1 to 9, not ${JSON.stringify(value ?? '')}`);
  }
  return Number(value);
}
