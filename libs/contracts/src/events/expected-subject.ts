import { entityIds } from '../domain/entity-ids';
import { UNEARMARKED_OPERATION_CODE } from '../operation-code';
import { BudgetLineState } from '../payloads/budget-line';
import { ContributionState } from '../payloads/contribution';
import { KeyFigureSetState } from '../payloads/key-figure-set';
import { NarrativeSectionState } from '../payloads/narrative-section';
import { OperationProfileState } from '../payloads/operation-profile';
import { OperationViewUpdatedState } from '../payloads/operation-view';
import { PopulationFigureState, PopulationTotalState } from '../payloads/population';

export interface ExpectedSubject {
  operationCode: string;
  entityId: string;
}

type SubjectRule = (data: never) => ExpectedSubject;

function rule<T>(payload: new () => T, subject: (data: T) => ExpectedSubject): [object, SubjectRule] {
  return [payload, subject];
}

/*
 * The subject restates what the data already says, because consumers route by it (Kafka key)
 * and deduplicate by it (entity id). A subject that disagrees with its data would file the
 * state under the wrong operation or entity, so decoding refuses it.
 */
const RULES = new Map<object, SubjectRule>([
  rule(PopulationFigureState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.populationFigure(d.operationCode, d.year, d.type) })),
  rule(PopulationTotalState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.populationTotal(d.operationCode, d.year) })),
  rule(BudgetLineState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.budgetLine(d.operationCode, d.year, d.pillar) })),
  rule(OperationProfileState, (d) => ({ operationCode: d.code, entityId: entityIds.operationProfile(d.code) })),
  rule(KeyFigureSetState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.keyFigureSet(d.operationCode, d.year, d.kind) })),
  rule(NarrativeSectionState, (d) => ({
    operationCode: d.operationCode,
    entityId: entityIds.narrativeSection(d.operationCode, d.year, d.lang, d.section),
  })),
  rule(ContributionState, (d) => ({ operationCode: d.operationCode ?? UNEARMARKED_OPERATION_CODE, entityId: entityIds.contribution(d.id) })),
  rule(OperationViewUpdatedState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.operationView(d.operationCode) })),
]);

/** What the subject of an event carrying `data` (validated, of class `payload`) must say. */
export function expectedSubjectOf<T>(payload: new () => T, data: T): ExpectedSubject {
  const subjectOf = RULES.get(payload) as ((data: T) => ExpectedSubject) | undefined;
  if (!subjectOf) throw new Error(`no subject rule for payload ${payload.name}`);
  return subjectOf(data);
}
