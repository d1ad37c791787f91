import { validateEvent } from '../decode-event';
import { EVENT_SOURCES } from '../envelope/event-source';
import { TOPICS } from '../topics';
import { topicOfSource } from './define-event';
import { EVENT_DEFINITIONS, eventDefinition, EVENTS } from './event-definitions';
import { EVENT_TYPES } from './event-types';

describe('event definitions', () => {
  it('define each type of EVENT_TYPES once, under the same name', () => {
    expect(Object.keys(EVENTS)).toEqual(Object.keys(EVENT_TYPES));
    for (const [name, type] of Object.entries(EVENT_TYPES)) expect(EVENTS[name as keyof typeof EVENTS].type).toBe(type);
    const pairs = EVENT_DEFINITIONS.map((definition) => `${definition.type}@${definition.schemaVersion}`);
    expect(new Set(pairs).size).toBe(EVENT_DEFINITIONS.length);
  });

  it('name the camelCase of their type', () => {
    for (const [name, type] of Object.entries(EVENT_TYPES)) {
      expect(type.replace(/[.-]([a-z])/g, (_match, letter: string) => letter.toUpperCase())).toBe(name);
    }
  });

  it("publish on their source's topic, which is one of TOPICS", () => {
    for (const source of EVENT_SOURCES) expect(Object.values(TOPICS)).toContain(topicOfSource(source));
    for (const definition of EVENT_DEFINITIONS) {
      expect(definition.topic).toBe(topicOfSource(definition.source));
      expect(definition.type.startsWith(`${definition.source}.`)).toBe(true);
    }
  });

  it('carry no data exactly for deletions', () => {
    for (const definition of EVENT_DEFINITIONS) {
      expect(definition.payload === null).toBe(definition.type.endsWith('.deleted'));
    }
  });

  it('have one-line summaries', () => {
    for (const definition of EVENT_DEFINITIONS) expect(definition.summary).toMatch(/^[^\n]{10,200}$/);
  });

  it('have examples that are valid events of their own type', () => {
    for (const definition of EVENT_DEFINITIONS) {
      const { example } = definition;
      expect([example.type, example.schemaVersion, example.source]).toEqual([definition.type, definition.schemaVersion, definition.source]);
      const result = validateEvent(JSON.parse(JSON.stringify(example)));
      expect({ type: definition.type, result }).toEqual({ type: definition.type, result: expect.objectContaining({ ok: true }) });
    }
  });

  it('are found by type, at schemaVersion 1 by default', () => {
    expect(eventDefinition('budget.line.upserted')).toBe(EVENTS.budgetLineUpserted);
    expect(eventDefinition('budget.line.upserted', 1)).toBe(EVENTS.budgetLineUpserted);
    expect(eventDefinition('budget.line.upserted', 2)).toBeUndefined();
    expect(eventDefinition('budget.line.exploded')).toBeUndefined();
  });
});
