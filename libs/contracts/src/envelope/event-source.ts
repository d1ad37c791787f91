/** The service that owns, and alone publishes, an event's entity. */
export const EVENT_SOURCES = ['population', 'budget', 'narratives', 'contributions', 'operation-view'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
