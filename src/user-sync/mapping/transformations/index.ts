import { AttributeTransformation } from '../attribute-transformation.interface';
import { filter, regexReplace } from './regex.transformations';
import {
  azureGuestUpnToEmail,
  defaultValue,
  lowercase,
  map,
  prefix,
  replace,
  split,
  stripDomain,
  substring,
  suffix,
  trim,
  uppercase,
} from './simple.transformations';

export const BUILT_IN_TRANSFORMATIONS: AttributeTransformation[] = [
  lowercase,
  uppercase,
  trim,
  replace,
  regexReplace,
  stripDomain,
  azureGuestUpnToEmail,
  prefix,
  suffix,
  substring,
  split,
  map,
  defaultValue,
  filter,
];
