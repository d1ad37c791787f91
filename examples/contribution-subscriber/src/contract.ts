import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { CONTRIBUTION_EVENT_TYPES, ContributionEvent } from './contribution-event';

/** Where the published schemas are: a checkout of the contract, or CONTRACT_SCHEMAS_DIR. */
export const SCHEMAS_DIR = process.env['CONTRACT_SCHEMAS_DIR'] ?? resolve(__dirname, '../../../libs/contracts/schemas');

/** Why a message is refused; the same words the publisher's own dead letters use (dlq-reason). */
export type Refusal = 'invalid-json' | 'invalid-envelope' | 'invalid-payload';

export type Reading =
  | { kind: 'event'; event: ContributionEvent }
  | { kind: 'other'; type: string; schemaVersion: unknown }
  | { kind: 'refused'; reason: Refusal; error: string };

/**
 * The contract, as another team holds it: one validator per (type, schemaVersion) this
 * subscriber knows, compiled from the published JSON Schema files.
 */
export class ContributionContract {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(dir = SCHEMAS_DIR) {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats(ajv);
    for (const type of CONTRIBUTION_EVENT_TYPES) {
      const file = readdirSync(dir).find((name) => name === `${type}.v1.schema.json`);
      if (!file) throw new Error(`no schema for ${type} v1 in ${dir}`);
      this.validators.set(`${type}@1`, ajv.compile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object));
    }
  }

  /**
   * A message's value as a contribution event, or why not. A type or schemaVersion it does not
   * know is not refused: new types and versions are how the contract grows, and are not this
   * subscriber's business until it learns them.
   */
  read(value: Buffer | string | null | undefined): Reading {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value === null || value === undefined ? '' : value.toString());
    } catch (error) {
      return { kind: 'refused', reason: 'invalid-json', error: (error as Error).message };
    }
    const envelope = parsed as { type?: unknown; schemaVersion?: unknown } | null;
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope) || typeof envelope.type !== 'string') {
      return { kind: 'refused', reason: 'invalid-envelope', error: 'not an event envelope (an object with a type)' };
    }
    const validate = this.validators.get(`${envelope.type}@${String(envelope.schemaVersion)}`);
    if (!validate) return { kind: 'other', type: envelope.type, schemaVersion: envelope.schemaVersion };
    if (!validate(parsed))
      return {
        kind: 'refused',
        reason: 'invalid-payload',
        error: validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ') ?? 'invalid',
      };
    return { kind: 'event', event: parsed as ContributionEvent };
  }
}
