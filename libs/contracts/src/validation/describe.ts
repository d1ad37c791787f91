/*
 * Descriptions live beside the rules, and the JSON Schema and AsyncAPI documents are generated
 * from both, so what another team reads is what the code declares.
 */
const descriptions = new WeakMap<object, Map<string | symbol, string>>();

const OF_CLASS = Symbol('class');

/** Documents a payload class or one of its properties in the published schemas. */
export function Describe(text: string): (target: object, property?: string | symbol) => void {
  return (target, property) => {
    const type = property === undefined ? target : target.constructor;
    const byProperty = descriptions.get(type) ?? new Map<string | symbol, string>();
    byProperty.set(property ?? OF_CLASS, text);
    descriptions.set(type, byProperty);
  };
}

export function descriptionOf(type: object, property?: string): string | undefined {
  return descriptions.get(type)?.get(property ?? OF_CLASS);
}
