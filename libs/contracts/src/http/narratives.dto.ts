import { KeyFigureSetState } from '../payloads/key-figure-set';
import { NarrativeSectionState } from '../payloads/narrative-section';
import { OperationProfileState } from '../payloads/operation-profile';
import { OmitProperties, PickProperties } from '../validation/derived-class';

/*
 * The HTTP bodies are the contracts' payload classes minus what the path already says, so a
 * body is validated by exactly the rules its event's data is (field names, lengths, nested
 * classes, list sizes): a write the API accepts always makes a valid event.
 */

/** `PUT /operations/{code}`: {name:{en,fr}, region, subregion, offices[]}. */
export class PutProfileDto extends OmitProperties(OperationProfileState, ['code'] as const) {}

/** `PUT /operations/{code}/key-figures/{year}/{kind}`: {items:[{value, unit, text:{en, fr?}}]}. */
export class PutKeyFiguresDto extends PickProperties(KeyFigureSetState, ['items'] as const) {}

/**
 * `PUT /operations/{code}/narratives/{year}/{lang}/{section}`: {body}, plain text of at most
 * NARRATIVE_BODY_MAX_LENGTH characters, stored exactly as given (never parsed as HTML).
 */
export class PutSectionDto extends PickProperties(NarrativeSectionState, ['body'] as const) {}
