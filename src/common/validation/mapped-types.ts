import type { Type } from '@nestjs/common';
import { OmitType as PlainOmitType, PartialType as PlainPartialType } from '@nestjs/mapped-types';
import { loadSwagger } from '../openapi';

const swagger = loadSwagger();

/** @nestjs/swagger's mapped types when it is installed (they carry the OpenAPI metadata too), else @nestjs/mapped-types' (the same validation metadata). */
export function PartialType<T>(classRef: Type<T>, options?: { skipNullProperties?: boolean }): Type<Partial<T>> {
  return (swagger?.PartialType ?? PlainPartialType)(classRef, options) as Type<Partial<T>>;
}

export function OmitType<T, K extends keyof T>(classRef: Type<T>, keys: readonly K[]): Type<Omit<T, (typeof keys)[number]>> {
  return (swagger?.OmitType ?? PlainOmitType)(classRef, keys) as Type<Omit<T, (typeof keys)[number]>>;
}
