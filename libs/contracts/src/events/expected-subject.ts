import { entityIds } from '../domain/entity-ids';
import { UNEARMARKED_OPERATION_CODE } from '../operation-code';
import { BudgetLineState } from '../payloads/budget-line';
import { ContributionState } from '../payloads/contribution';
import { KeyFigureSetState } from '../payloads/key-figure-set';
import { NarrativeSectionState } from '../payloads/narrative-section';
import { OperationProfileState } from '../payloads/operation-profile';
import { OperationViewUpdatedState } from '../payloads/operation-view';
import { PopulationFigureState, PopulationTotalState } from '../payloads/population';
import { EVENT_TYPES } from './event-types';

export interface ExpectedSubject {
  operationCode: string;
  entityId: string;
  /**
   * 'data': subject.operationCode is the operation of data. 'left': it is the operation the
   * entity left, which is never the operation of data (see SUBJECT_IS_OPERATION_LEFT).
   */
  operationCodeIs: 'data' | 'left';
}

type SubjectOfData = Omit<ExpectedSubject, 'operationCodeIs'>;

type SubjectRule = (data: never) => SubjectOfData;

function rule<T>(payload: new () => T, subject: (data: T) => SubjectOfData): [object, SubjectRule] {
  return [payload, subject];
}

/*
 * The subject restates what the data already says, because consumers route by it (Kafka key)
 * and deduplicate by it (entity id). A subject that disagrees with its data would file the
 * state under the wrong operation or entity, so decoding refuses it.
 */
const RULES = new Map<object, SubjectRule>([
  rule(PopulationFigureState, (d) => ({
    operationCode: d.operationCode,
    entityId: entityIds.populationFigure(d.operationCode, d.year, d.type, d.origin),
  })),
  rule(PopulationTotalState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.populationTotal(d.operationCode, d.year) })),
  rule(BudgetLineState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.budgetLine(d.operationCode, d.year, d.pillar) })),
  rule(OperationProfileState, (d) => ({ operationCode: d.code, entityId: entityIds.operationProfile(d.code) })),
  rule(KeyFigureSetState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.keyFigureSet(d.operationCode, d.year, d.kind) })),
  rule(NarrativeSectionState, (d) => ({
    operationCode: d.operationCode,
    entityId: entityIds.narrativeSection(d.operationCode, d.year, d.lang, d.section),
  })),
  rule(ContributionState, (d) => ({
    operationCode: d.operationCode ?? UNEARMARKED_OPERATION_CODE,
    entityId: entityIds.contribution(d.id),
  })),
  rule(OperationViewUpdatedState, (d) => ({ operationCode: d.operationCode, entityId: entityIds.operationView(d.operationCode) })),
]);

/*
 * The one exception: an event published to the operation an entity moved away from, so that
 * the consumers of that operation's key (its view) learn it is gone. Its data is the entity's
 * new state, so its subject names an operation that data does not.
 */
const SUBJECT_IS_OPERATION_LEFT = new Set<string>([EVENT_TYPES.contributionsContributionMoved]);

/** What the subject of an event of `type` carrying `data` (validated, of class `payload`) must say. */
export function expectedSubjectOf<T>(type: string, payload: new () => T, data: T): ExpectedSubject {
  const subjectOf = RULES.get(payload) as ((data: T) => SubjectOfData) | undefined;
  if (!subjectOf) throw new Error(`no subject rule for payload ${payload.name}`);
  return { ...subjectOf(data), operationCodeIs: SUBJECT_IS_OPERATION_LEFT.has(type) ? 'left' : 'data' };
}
