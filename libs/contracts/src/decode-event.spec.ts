import { decodeEvent, DecodeResult, validateEvent } from './decode-event';
import { PopulationFigureState } from './payloads/population';
import { exampleWith, REMOVED } from './testing/example-with';

function decode(event: unknown): DecodeResult {
  return decodeEvent(JSON.stringify(event));
}

function expectRefused(result: DecodeResult, reason: string, failingPath: string): void {
  expect(result).toMatchObject({ ok: false, reason });
  if (!result.ok) expect(result.errors).toContainEqual(expect.stringMatching(new RegExp(`^${failingPath.replace(/[.[\]()]/g, '\\$&')}: `)));
}

describe('decodeEvent', () => {
  it('accepts a valid event from a string or a Buffer, and returns the validated data', () => {
    const event = exampleWith('populationFigureUpserted');
    for (const raw of [JSON.stringify(event), Buffer.from(JSON.stringify(event))]) {
      const result = decodeEvent(raw);
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.event.data).toBeInstanceOf(PopulationFigureState);
      expect(result.event).toMatchObject(event);
    }
  });

  it('refuses a message that is not JSON, or has no value', () => {
    expect(decodeEvent('{"id": ')).toMatchObject({ ok: false, reason: 'invalid-json' });
    expect(decodeEvent(null)).toMatchObject({ ok: false, reason: 'invalid-json' });
    expect(decodeEvent(undefined)).toMatchObject({ ok: false, reason: 'invalid-json' });
  });

  it('refuses JSON that is not an object', () => {
    expectRefused(decodeEvent('[1]'), 'invalid-envelope', '(root)');
    expectRefused(decodeEvent('"event"'), 'invalid-envelope', '(root)');
  });

  it('refuses an envelope with a missing field', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { occurredAt: REMOVED })), 'invalid-envelope', 'occurredAt');
    expectRefused(decode(exampleWith('populationFigureDeleted', { data: REMOVED })), 'invalid-envelope', 'data');
  });

  it('refuses an envelope field the contract does not have', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { priority: 'high' })), 'invalid-envelope', 'priority');
  });

  it('refuses an id that is not a UUID v7, and a time that is impossible or has no time zone', () => {
    expectRefused(decode(exampleWith('budgetLineUpserted', { id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' })), 'invalid-envelope', 'id');
    expectRefused(decode(exampleWith('budgetLineUpserted', { occurredAt: '2019-07-02T09:00:00' })), 'invalid-envelope', 'occurredAt');
    expectRefused(decode(exampleWith('budgetLineUpserted', { occurredAt: '2019-02-30T09:00:00Z' })), 'invalid-envelope', 'occurredAt');
    expect(decode(exampleWith('budgetLineUpserted', { occurredAt: '2019-07-02T15:00:00+06:00' })).ok).toBe(true);
  });

  it("takes a figure's origin as part of its entity id, and refuses an origin that is no country code", () => {
    const withOrigin = { 'data.origin': 'SYR', 'subject.entityId': 'KAZ:2018:REF:SYR' };
    expect(decode(exampleWith('populationFigureUpserted', withOrigin)).ok).toBe(true);
    expect(
      decode(exampleWith('populationFigureUpserted', { ...withOrigin, 'data.origin': 'XXA', 'subject.entityId': 'KAZ:2018:REF:XXA' })).ok,
    ).toBe(true);
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.origin': 'SYR' })), 'invalid-payload', 'subject.entityId');
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { ...withOrigin, 'data.origin': 'Syria' })),
      'invalid-payload',
      'data.origin',
    );
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { ...withOrigin, 'data.origin': null })),
      'invalid-payload',
      'data.origin',
    );
  });

  it('refuses an unknown type', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { type: 'population.figure.exploded' })), 'unknown-type', 'type');
  });

  it('refuses a schemaVersion that is not defined for the type', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { schemaVersion: 2 })), 'unknown-type', 'type');
  });

  it('refuses a source other than the owner of the type', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { source: 'budget' })), 'invalid-envelope', 'source');
  });

  it('refuses a string where a number must be, without converting it', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.value': '588' })), 'invalid-payload', 'data.value');
    expectRefused(decode(exampleWith('populationFigureUpserted', { schemaVersion: '1' })), 'invalid-envelope', 'schemaVersion');
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'subject.version': '1' })), 'invalid-envelope', 'subject.version');
  });

  it('refuses a fractional count', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.value': 588.5 })), 'invalid-payload', 'data.value');
  });

  it('refuses an unknown field in data, however deep', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.note': 'x' })), 'invalid-payload', 'data.note');
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.source.url': 'x' })), 'invalid-payload', 'data.source.url');
    expectRefused(
      decode(exampleWith('narrativesProfileUpserted', { 'data.offices[0].phone': '+7' })),
      'invalid-payload',
      'data.offices[0].phone',
    );
  });

  it('refuses data on a deletion, and null data where the contract has a payload', () => {
    const data = exampleWith('populationFigureUpserted')['data'];
    expectRefused(decode(exampleWith('populationFigureDeleted', { data })), 'invalid-payload', 'data');
    expectRefused(decode(exampleWith('populationFigureUpserted', { data: null })), 'invalid-payload', 'data');
  });

  it('refuses data that is not an object', () => {
    expectRefused(decode(exampleWith('populationFigureUpserted', { data: [] })), 'invalid-envelope', 'data');
    expectRefused(decode(exampleWith('populationFigureUpserted', { data: 588 })), 'invalid-envelope', 'data');
  });

  it('refuses a subject whose operation code or entity id disagrees with data', () => {
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { 'subject.operationCode': 'KGZ' })),
      'invalid-payload',
      'subject.operationCode',
    );
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { 'data.operationCode': 'KGZ' })),
      'invalid-payload',
      'subject.operationCode',
    );
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { 'subject.entityId': 'KAZ:2018:ASY' })),
      'invalid-payload',
      'subject.entityId',
    );
    expectRefused(decode(exampleWith('narrativesProfileUpserted', { 'data.code': 'KGZ' })), 'invalid-payload', 'subject.operationCode');
  });

  it('refuses an operation code that does not match the pattern', () => {
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { 'subject.operationCode': 'kaz' })),
      'invalid-envelope',
      'subject.operationCode',
    );
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.operationCode': 'K' })), 'invalid-payload', 'data.operationCode');
  });

  it('refuses negative or fractional cents', () => {
    expectRefused(decode(exampleWith('budgetLineUpserted', { 'data.budgetCents': -1 })), 'invalid-payload', 'data.budgetCents');
    expectRefused(decode(exampleWith('budgetLineUpserted', { 'data.expenditureCents': 0.5 })), 'invalid-payload', 'data.expenditureCents');
  });

  it('accepts a null expenditure (a year not closed), but not a missing or textual one', () => {
    expect(decode(exampleWith('budgetLineUpserted', { 'data.expenditureCents': null })).ok).toBe(true);
    expectRefused(
      decode(exampleWith('budgetLineUpserted', { 'data.expenditureCents': REMOVED })),
      'invalid-payload',
      'data.expenditureCents',
    );
    expectRefused(
      decode(exampleWith('budgetLineUpserted', { 'data.expenditureCents': '2.02644007' })),
      'invalid-payload',
      'data.expenditureCents',
    );
  });

  it('refuses a pillar, a year or a population type outside the lists', () => {
    expectRefused(decode(exampleWith('budgetLineUpserted', { 'data.pillar': 5 })), 'invalid-payload', 'data.pillar');
    expectRefused(decode(exampleWith('budgetLineUpserted', { 'data.year': 1949 })), 'invalid-payload', 'data.year');
    expectRefused(decode(exampleWith('populationFigureUpserted', { 'data.type': 'ref' })), 'invalid-payload', 'data.type');
  });

  it('refuses an impossible calendar date', () => {
    expectRefused(
      decode(exampleWith('populationFigureUpserted', { 'data.source.asOf': '2019-02-29' })),
      'invalid-payload',
      'data.source.asOf',
    );
    expect(decode(exampleWith('populationFigureUpserted', { 'data.source.asOf': '2020-02-29' })).ok).toBe(true);
  });

  it('keys an unearmarked contribution UNEARMARKED, and refuses UNEARMARKED as an operation code', () => {
    expect(decode(exampleWith('contributionsContributionCancelled')).ok).toBe(true);
    expectRefused(
      decode(exampleWith('contributionsContributionCancelled', { 'subject.operationCode': 'KAZ' })),
      'invalid-payload',
      'subject.operationCode',
    );
    const claimsUnearmarked = { 'subject.operationCode': 'UNEARMARKED', 'data.operationCode': 'UNEARMARKED' };
    expectRefused(decode(exampleWith('contributionsContributionRecorded', claimsUnearmarked)), 'invalid-payload', 'data.operationCode');
  });

  it('takes a moved contribution under the operation it left, never under the one its data names', () => {
    expect(decode(exampleWith('contributionsContributionMoved')).ok).toBe(true);
    // Unearmarked now: the subject is the operation it left; unearmarked before: UNEARMARKED.
    expect(decode(exampleWith('contributionsContributionMoved', { 'data.operationCode': REMOVED })).ok).toBe(true);
    expect(decode(exampleWith('contributionsContributionMoved', { 'subject.operationCode': 'UNEARMARKED' })).ok).toBe(true);
    expectRefused(
      decode(exampleWith('contributionsContributionMoved', { 'subject.operationCode': 'KGZ' })),
      'invalid-payload',
      'subject.operationCode',
    );
    expectRefused(
      decode(exampleWith('contributionsContributionMoved', { 'subject.operationCode': 'UNEARMARKED', 'data.operationCode': REMOVED })),
      'invalid-payload',
      'subject.operationCode',
    );
    expectRefused(
      decode(exampleWith('contributionsContributionMoved', { 'subject.entityId': 'other' })),
      'invalid-payload',
      'subject.entityId',
    );
    // The other contribution events still name the operation of their data, and only it.
    expectRefused(
      decode(exampleWith('contributionsContributionUpdated', { 'subject.operationCode': 'KGZ' })),
      'invalid-payload',
      'subject.operationCode',
    );
  });

  it('takes only absence, not null, for an optional field', () => {
    expect(decode(exampleWith('contributionsContributionRecorded', { 'data.amountCents': 250_000_000 })).ok).toBe(true);
    expectRefused(
      decode(exampleWith('contributionsContributionRecorded', { 'data.amountCents': null })),
      'invalid-payload',
      'data.amountCents',
    );
    expectRefused(decode(exampleWith('contributionsContributionRecorded', { correlationId: null })), 'invalid-envelope', 'correlationId');
    expectRefused(
      decode(exampleWith('narrativesKeyFiguresUpserted', { 'data.items[0].text.fr': null })),
      'invalid-payload',
      'data.items[0].text.fr',
    );
  });

  it('names the index of a failing list item', () => {
    expectRefused(
      decode(exampleWith('narrativesKeyFiguresUpserted', { 'data.items[2].unit': 'dollars' })),
      'invalid-payload',
      'data.items[2].unit',
    );
  });

  it('refuses a list where an object must be, and a scalar where a list must be', () => {
    const name = exampleWith('narrativesProfileUpserted')['data'] as { name: unknown };
    expectRefused(decode(exampleWith('narrativesProfileUpserted', { 'data.name': [name.name] })), 'invalid-payload', 'data.name');
    expectRefused(decode(exampleWith('narrativesProfileUpserted', { 'data.offices': 'Almaty' })), 'invalid-payload', 'data.offices');
  });

  it('refuses keys that could reach a prototype, without throwing', () => {
    const raw = JSON.stringify(exampleWith('populationFigureUpserted'));
    const withKey = (json: string) => raw.replace('"value":588', `"value":588,${json}`);
    expectRefused(decodeEvent(withKey('"constructor":1')), 'invalid-payload', 'data.constructor');
    expectRefused(decodeEvent(withKey('"__proto__":{"polluted":true}')), 'invalid-payload', 'data.__proto__');
    for (const inherited of ['valueOf', 'toString', 'hasOwnProperty', 'prototype'])
      expectRefused(decodeEvent(withKey(`"${inherited}":1`)), 'invalid-payload', `data.${inherited}`);
    expectRefused(decodeEvent(raw.replace('"subject":{', '"subject":{"constructor":{},')), 'invalid-envelope', 'subject.constructor');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses an empty or oversized narrative body', () => {
    expectRefused(decode(exampleWith('narrativesSectionUpserted', { 'data.body': '' })), 'invalid-payload', 'data.body');
    expectRefused(decode(exampleWith('narrativesSectionUpserted', { 'data.body': 'x'.repeat(20_001) })), 'invalid-payload', 'data.body');
    expect(decode(exampleWith('narrativesSectionUpserted', { 'data.body': 'x'.repeat(20_000) })).ok).toBe(true);
  });
});

describe('validateEvent', () => {
  it('validates an already parsed event as decodeEvent does', () => {
    expect(validateEvent(exampleWith('operationViewUpdated')).ok).toBe(true);
    expect(validateEvent(exampleWith('operationViewUpdated', { 'data.version': 0 }))).toMatchObject({
      ok: false,
      reason: 'invalid-payload',
    });
    expect(validateEvent(undefined)).toMatchObject({ ok: false, reason: 'invalid-envelope' });
  });
});
