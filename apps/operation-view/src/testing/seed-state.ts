import {
  BudgetLineState,
  entityIds,
  KeyFigureSetState,
  NarrativeSectionState,
  PopulationFigureState,
  PopulationTotalState,
  usdToCents,
} from '@focus/contracts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { emptyState, OperationState } from '../projection/operation-state';

// The seed page as data lives with the seed tool (tools/seed), which loads it through the APIs.
const seed = JSON.parse(readFileSync(resolve(__dirname, '../../../../tools/seed/data/kazakhstan-regional-office.json'), 'utf8'));

/**
 * The seed page as the projection would hold it after every event, each at version 1; under
 * another operation code when tests need many operations.
 */
export function seedState(code: string = seed.code): OperationState {
  const state = emptyState();
  // As the seed tool loads them: each year-end figure as of 31 December of its year.
  const source = (year: number) => ({ name: seed.population.source.name, asOf: `${year}-12-31` });
  state.profile = { v: 1, s: { code, ...seed.profile } as never };
  for (const f of seed.population.figures) {
    state.figures[entityIds.populationFigure(code, f.year, f.type as PopulationFigureState['type'])] = {
      v: 1,
      s: { operationCode: code, ...f, source: source(f.year) } as PopulationFigureState,
    };
  }
  for (const t of seed.population.totals)
    state.totals[entityIds.populationTotal(code, t.year)] = {
      v: 1,
      s: { operationCode: code, ...t, source: source(t.year) } as PopulationTotalState,
    };
  for (const l of seed.budget) {
    state.budget[entityIds.budgetLine(code, l.year, l.pillar as 1)] = {
      v: 1,
      s: {
        operationCode: code,
        year: l.year,
        pillar: l.pillar,
        budgetCents: usdToCents(l.budgetUsd),
        expenditureCents: l.expenditureUsd === null ? null : usdToCents(l.expenditureUsd),
      } as BudgetLineState,
    };
  }
  for (const k of seed.keyFigures)
    state.keyFigures[entityIds.keyFigureSet(code, k.year, k.kind as 'result')] = {
      v: 1,
      s: { operationCode: code, ...k } as KeyFigureSetState,
    };
  for (const n of seed.narratives)
    state.sections[entityIds.narrativeSection(code, n.year, 'en', n.section as never)] = {
      v: 1,
      s: { operationCode: code, ...n } as NarrativeSectionState,
    };
  return state;
}
