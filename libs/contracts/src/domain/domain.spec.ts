import { OPERATION_CODE_PATTERN } from '../operation-code';
import { dlqTopicOf, TOPICS } from '../topics';
import { entityIds } from './entity-ids';
import { isCents } from './limits';
import { NARRATIVE_SECTION_KEYS } from './narrative-sections';
import { PILLARS } from './pillars';
import { POPULATION_TYPE_CODES } from './population-types';

describe('domain constants', () => {
  it('build entity ids from natural keys', () => {
    expect(entityIds.populationFigure('KAZ', 2018, 'REF')).toBe('KAZ:2018:REF');
    expect(entityIds.populationFigure('KAZ', 2018, 'REF', 'AFG')).toBe('KAZ:2018:REF:AFG');
    expect(entityIds.populationTotal('KAZ', 2018)).toBe('KAZ:2018:total');
    expect(entityIds.budgetLine('KAZ', 2018, 1)).toBe('KAZ:2018:p1');
    expect(entityIds.operationProfile('KAZ')).toBe('KAZ');
    expect(entityIds.keyFigureSet('KAZ', 2018, 'result')).toBe('KAZ:2018:result');
    expect(entityIds.narrativeSection('KAZ', 2018, 'en', 'operational-environment')).toBe('KAZ:2018:en:operational-environment');
    expect(entityIds.contribution('016bd1e1-6ca0-7d53-af66-1707ddc1b3b3')).toBe('016bd1e1-6ca0-7d53-af66-1707ddc1b3b3');
    expect(entityIds.operationView('KAZ')).toBe('KAZ');
  });

  it('accept ISO alpha-3 codes and office codes as operation codes', () => {
    for (const code of ['KAZ', 'UNEARMARKED', 'ROCA-ALMATY', 'K1']) expect(code).toMatch(OPERATION_CODE_PATTERN);
    for (const code of ['kaz', 'K', '1KAZ', 'KAZ ', 'A'.repeat(17)]) expect(code).not.toMatch(OPERATION_CODE_PATTERN);
  });

  it('name dead-letter topics after their topic', () => {
    expect(dlqTopicOf(TOPICS.contributions)).toBe('contributions.events.dlq');
  });

  it('keep the display orders', () => {
    expect(POPULATION_TYPE_CODES).toEqual(['REF', 'ASY', 'RET', 'IDP', 'RDP', 'STA', 'OOC', 'OIP', 'HST']);
    expect(PILLARS.map((pillar) => pillar.pillar)).toEqual([1, 2, 3, 4]);
    expect(NARRATIVE_SECTION_KEYS).toEqual([
      'operational-environment',
      'population-trends',
      'key-achievements',
      'unmet-needs',
      'working-environment',
      'key-priorities',
    ]);
  });

  it('count money in whole, safe, non-negative cents', () => {
    expect(isCents(740_638_597)).toBe(true);
    expect(isCents(0)).toBe(true);
    for (const value of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, '100', null, Number.NaN]) expect(isCents(value)).toBe(false);
  });
});
