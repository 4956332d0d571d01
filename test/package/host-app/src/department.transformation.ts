// src/department.transformation.ts
import { Injectable } from '@nestjs/common';
import { AttributeTransformation, NO_MATCH, TransformFn } from '@alb-usersync/nestjs';
import { HrDirectory } from './hr.module';

/** A mapping step for your connectors: an email in, the department HR has on file out. */
@Injectable()
export class DepartmentTransformation implements AttributeTransformation {
  readonly type = 'hrDepartment';
  readonly description = 'The department HR has on file for an email address';
  readonly options = {};

  constructor(private readonly hr: HrDirectory) {}

  compile(): TransformFn {
    return (email) => this.hr.departmentOf(email) ?? NO_MATCH;
  }
}
