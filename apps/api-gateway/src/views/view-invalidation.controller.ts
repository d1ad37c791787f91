import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { decodeEvent, EVENT_TYPES, OperationViewUpdatedState, TOPICS } from '@focus/contracts';
import { ViewsService } from './views.service';

/**
 * Drops cached views when the aggregator announces a change: the handler of
 * operation-view.events on ViewEventsServer (which also keeps the cache off while these
 * events are not flowing).
 */
@Controller()
export class ViewInvalidation {
  private readonly logger = new Logger('ViewInvalidation');

  constructor(private readonly views: ViewsService) {}

  @EventPattern(TOPICS.operationView)
  onViewEvent(@Payload() value: Buffer | null) {
    const decoded = decodeEvent(value);
    if (!decoded.ok) {
      // A message we cannot read may announce a change: drop everything to be safe.
      this.logger.warn(`operation-view.events: unreadable message (${decoded.reason}); cache emptied`);
      this.views.cache.clear();
      return;
    }
    if (decoded.event.type !== EVENT_TYPES.operationViewUpdated) return;
    const data = decoded.event.data as OperationViewUpdatedState;
    this.views.cache.invalidate(data.operationCode, data.version);
  }
}
