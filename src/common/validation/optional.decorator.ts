import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as null: class-validator's @IsOptional() lets null
 * through, which a PATCH would then write over a required value.
 */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);
