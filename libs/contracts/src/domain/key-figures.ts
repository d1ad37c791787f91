/** `result`: a year's achieved figures; `plan`: the figures planned for a year. */
export const KEY_FIGURE_KINDS = ['result', 'plan'] as const;
export type KeyFigureKind = (typeof KEY_FIGURE_KINDS)[number];

/** How a key figure's value reads: `percent` is shown as `85%`, the others as a plain count. */
export const KEY_FIGURE_UNITS = ['percent', 'persons', 'people', 'households', 'other'] as const;
export type KeyFigureUnit = (typeof KEY_FIGURE_UNITS)[number];
