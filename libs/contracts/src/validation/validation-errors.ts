import { ValidationError } from 'class-validator';

/*
 * class-validator's own messages start with the property name ("property x should not exist");
 * ours carry the full path instead, so these few are reworded rather than trimmed.
 */
const REWORDED: Record<string, string> = {
  whitelistValidation: 'is not an allowed property',
  nestedValidation: 'must be an object',
  unknownValue: 'must be an object',
};

/** `data.offices[0].lat: must be a number from -90 to 90`, one line per failed rule. */
export function describeValidationErrors(errors: readonly ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => describe(error, joinPath(parentPath, error.property)));
}

function describe(error: ValidationError, path: string): string[] {
  const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => `${path || '(root)'}: ${REWORDED[rule] ?? message}`);
  const nested = (error.children ?? []).flatMap((child) => {
    const isIndex = Array.isArray(error.value) && /^\d+$/.test(child.property);
    return describe(child, isIndex ? `${path}[${child.property}]` : joinPath(path, child.property));
  });
  return [...own, ...nested];
}

function joinPath(parent: string, property: string): string {
  if (!property) return parent;
  return parent ? `${parent}.${property}` : property;
}
