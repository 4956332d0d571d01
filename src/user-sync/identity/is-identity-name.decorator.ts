import { ValidationArguments, ValidationOptions, ValidateBy } from 'class-validator';
import { nameProblem } from './identity-rules';

/** A username, group, directory or connector name the identity rule accepts (README "Who is who: the identity rule"). */
export function IsIdentityName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdentityName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && nameProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => {
          const value: unknown = args?.value;
          const each = options?.each ? 'each value in ' : '';
          // With `each`, class-validator reports the whole array: name the first offending element.
          const offending = Array.isArray(value) ? value.find((item) => typeof item !== 'string' || nameProblem(item) !== null) : value;
          const problem = typeof offending === 'string' ? nameProblem(offending) : 'must be a string';
          return `${each}${args?.property ?? 'name'} ${problem}`;
        },
      },
    },
    options,
  );
}
