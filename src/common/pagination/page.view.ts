import type { Type } from '@nestjs/common';
import { ApiProperty } from '../openapi';
import type { Page } from './page-query.dto';

const pages = new Map<Type<unknown>, Type<Page<unknown>>>();

/** The OpenAPI schema of `{ items, total }` for one item class, named `<Item>Page` (one class per item). */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class ItemPage implements Page<T> {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ description: 'all items matching, beyond this page too' })
    total!: number;
  }
  Object.defineProperty(ItemPage, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
  pages.set(item, ItemPage);
  return ItemPage;
}
