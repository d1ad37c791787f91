import { replicasFromArguments } from './arguments';

describe('npm start arguments', () => {
  it('runs one of each without arguments, N of each owner and aggregator with --replicas N', () => {
    expect(replicasFromArguments([])).toBe(1);
    expect(replicasFromArguments(['--replicas', '2'])).toBe(2);
    expect(replicasFromArguments(['--replicas=3'])).toBe(3);
  });

  it('refuses what it cannot run, naming it', () => {
    expect(() => replicasFromArguments(['--replicas'])).toThrow(/--replicas takes a whole number from 1 to 9, not ""/);
    expect(() => replicasFromArguments(['--replicas', '0'])).toThrow(/not "0"/);
    expect(() => replicasFromArguments(['--replicas', '10'])).toThrow(/not "10"/);
    expect(() => replicasFromArguments(['--replicas', 'two'])).toThrow(/not "two"/);
    expect(() => replicasFromArguments(['--replica', '2'])).toThrow(/unknown argument "--replica"/);
  });
});
