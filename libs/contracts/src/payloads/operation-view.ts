import { Describe } from '../validation/describe';
import { IsOperationCode, IsWholeNumber } from '../validation/rules';

// A signal rather than the view itself: the view is large, and readers want the latest one,
// which the gateway serves.
@Describe("The aggregator changed an operation's combined view; refresh it from GET /api/v1/operations/{operationCode}.")
export class OperationViewUpdatedState {
  @IsOperationCode()
  operationCode!: string;

  @Describe('The new version of the view (meta.version in the view).')
  @IsWholeNumber(1)
  version!: number;
}

/**
 * The aggregator's answer header that carries a view's version (meta.version) beside its
 * ETag: a cache reads the version from it rather than from the ETag's text.
 */
export const VIEW_VERSION_HEADER = 'x-view-version';
