// src/hr.module.ts
import { Injectable, Module } from '@nestjs/common';

/** One of your own services: who works in which department. */
@Injectable()
export class HrDirectory {
  private readonly departments = new Map([['ada.lovelace@example.com', 'Analytical Engines']]);

  departmentOf(email: string): string | undefined {
    return this.departments.get(email.toLowerCase());
  }
}

@Module({ providers: [HrDirectory], exports: [HrDirectory] })
export class HrModule {}
