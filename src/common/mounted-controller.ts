import { Controller, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';

/** Where a module's routes go: a path prefix ('' for the root), or false to leave them out. */
export type RoutePrefix = string | false;

const trim = (path: string) => path.replace(/^\/+|\/+$/g, '');

/**
 * The controller with its path's `defaultPrefix` replaced by `prefix`: the class itself when they
 * are the same, else a subclass of its own with the new path (the original's metadata untouched,
 * so two apps in one process may mount it differently).
 */
export function mountedAt<T>(controller: Type<T>, defaultPrefix: string, prefix: string): Type<T> {
  if (trim(prefix) === trim(defaultPrefix)) return controller;
  const path = trim(String(Reflect.getMetadata(PATH_METADATA, controller) ?? ''));
  const rest = path === trim(defaultPrefix) ? '' : path.startsWith(`${trim(defaultPrefix)}/`) ? path.slice(trim(defaultPrefix).length + 1) : path;
  const mounted = { [controller.name]: class extends (controller as Type<object>) {} }[controller.name] as Type<T>;
  Controller([trim(prefix), rest].filter(Boolean).join('/'))(mounted);
  return mounted;
}

/** Checks a RoutePrefix option: false, or a path of URL-safe segments. */
export function routePrefixProblem(name: string, prefix: unknown): string | null {
  if (prefix === false) return null;
  const segments = typeof prefix === 'string' ? trim(prefix).split('/').filter(Boolean) : null;
  if (!segments || segments.some((segment) => !/^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/.test(segment))) {
    return `${name}: a path such as "api" (or "" for the root), or false to leave the routes out`;
  }
  return null;
}
