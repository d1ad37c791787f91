import { OperationAvailability } from '@focus/contracts';
import { OperationViewDocument } from '../projection/operation-state';
import { liveStates } from './data-rows';

/** The years and types an operation's view holds data for (the data API's reference/availability). */
export function availabilityOf(view: OperationViewDocument): OperationAvailability {
  const figures = liveStates(view.figures);
  const sorted = <T>(values: Iterable<T>) => [...new Set(values)].sort();
  return {
    operation: view._id,
    population: {
      years: sorted([...figures.map((f) => f.year), ...liveStates(view.totals).map((t) => t.year)]).sort((a, b) => a - b),
      types: sorted(figures.map((f) => f.type)),
      origins: new Set(figures.flatMap((f) => (f.origin ? [f.origin] : []))).size,
    },
    budget: { years: sorted(liveStates(view.budget).map((l) => l.year)).sort((a, b) => a - b) },
    keyFigures: { years: sorted(liveStates(view.keyFigures).map((k) => k.year)).sort((a, b) => a - b) },
  };
}
