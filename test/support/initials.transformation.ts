import { Injectable } from '@nestjs/common';
import { AttributeTransformation, TransformFn } from '../../src/user-sync/mapping/attribute-transformation.interface';

/** The README's example custom transformation: "Ada Lovelace" → "AL". */
@Injectable()
export class InitialsTransformation implements AttributeTransformation {
  readonly type = 'initials';
  readonly description = 'The first letter of each word, upper-cased';
  readonly options = { separator: { type: 'string' as const, description: 'put between the letters (default none)' } };

  compile(options: Record<string, unknown>): TransformFn {
    const separator = (options.separator as string | undefined) ?? '';
    return (value) =>
      value
        .split(/\s+/)
        .filter(Boolean)
        .map((word) => Array.from(word)[0].toUpperCase())
        .join(separator);
  }
}

@Injectable()
export class OtherInitialsTransformation extends InitialsTransformation {}
