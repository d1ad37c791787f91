import type {
  ContributionState as ContractContribution,
  EventEnvelope as ContractEnvelope,
  Office as ContractOffice,
} from '@focus/contracts';
import { ContributionState, EventEnvelope, Office, OperationView, operationList, operationUrl } from './api';
import fixture from './testing/fixtures/kaz-ro-views.json';

// The portal restates the contracts' payload shapes (so its bundle needs no contracts code):
// these assignments fail the typecheck target if the two drift apart.
const contribution: ContributionState = {} as ContractContribution;
const envelope: EventEnvelope<ContributionState> = {} as ContractEnvelope<ContractContribution>;
const office: Office = {} as ContractOffice;
// JSON imports widen literal types (trend: string), so the fixture's shape is checked at run
// time below and by the browser spec, not here.
const views = fixture.views as unknown as Record<string, OperationView>;

describe('the API client', () => {
  it('asks for a view with relative, same-origin URLs', () => {
    expect(operationUrl('KAZ-RO', 2018, 'fr')).toBe('/api/v1/operations/KAZ-RO?year=2018&lang=fr');
    expect(operationUrl('KAZ-RO', undefined, 'en')).toBe('/api/v1/operations/KAZ-RO?lang=en');
  });

  it('takes the operations list bare or wrapped', () => {
    const list = [{ code: 'KAZ-RO', name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' } }];
    expect(operationList(list)).toEqual(list);
    expect(operationList({ items: list })).toEqual(list);
    expect(operationList({ operations: [...list, { name: 'no code' }] })).toEqual(list);
    expect(operationList(null)).toEqual([]);
  });

  it('the fixture is the seed page: 88,419 people of concern in 2018', () => {
    expect([contribution, envelope, office]).toHaveLength(3);
    expect(views['2018:en']?.peopleOfConcern.total).toBe(88419);
    expect(views['2018:en']?.budget.categories).toEqual([2014, 2015, 2016, 2017, 2018, 2019]);
  });
});
