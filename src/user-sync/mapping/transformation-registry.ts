import { Inject, Injectable, Optional } from '@nestjs/common';
import { AttributeTransformation, CUSTOM_TRANSFORMATIONS, TransformFn } from './attribute-transformation.interface';
import { BUILT_IN_TRANSFORMATIONS } from './transformations';

export interface TransformationDescription {
  type: string;
  description: string;
  builtIn: boolean;
  options: Array<{ name: string; type: string; required: boolean; description: string }>;
}

/** Every transformation type, built-in and custom; validates and compiles transformation steps. */
@Injectable()
export class TransformationRegistry {
  private readonly byType = new Map<string, { transformation: AttributeTransformation; builtIn: boolean }>();

  constructor(@Optional() @Inject(CUSTOM_TRANSFORMATIONS) custom: AttributeTransformation[] | null) {
    for (const transformation of BUILT_IN_TRANSFORMATIONS) this.register(transformation, true);
    for (const transformation of custom ?? []) this.register(transformation, false);
  }

  describe(): TransformationDescription[] {
    return [...this.byType.values()].map(({ transformation, builtIn }) => ({
      type: transformation.type,
      description: transformation.description,
      builtIn,
      options: Object.entries(transformation.options).map(([name, spec]) => ({
        name,
        type: spec.type,
        required: spec.required ?? false,
        description: spec.description,
      })),
    }));
  }

  /** Built-in transformations are pure: their output depends on their input and options alone. */
  isBuiltIn(type: string): boolean {
    return this.byType.get(type)?.builtIn ?? false;
  }

  get(type: string): AttributeTransformation | undefined {
    return this.byType.get(type)?.transformation;
  }

  /** Checks one step `{ type, ...options }`; returns the problems (empty when valid). */
  validate(step: unknown): string[] {
    try {
      this.compile(step);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  }

  /** Compiles one step into its function; throws an Error naming the problem. */
  compile(step: unknown): { fn: TransformFn; transformation: AttributeTransformation } {
    if (typeof step !== 'object' || step === null || Array.isArray(step)) throw new Error('must be an object');
    const { type, ...options } = step as Record<string, unknown>;
    if (typeof type !== 'string') throw new Error('type must be a string');
    const transformation = this.get(type);
    if (!transformation) throw new Error(`unknown transformation type "${type.slice(0, 64)}"`);
    for (const name of Object.keys(options)) {
      if (!Object.hasOwn(transformation.options, name)) throw new Error(`${type}: unknown option "${name.slice(0, 64)}"`);
    }
    for (const [name, spec] of Object.entries(transformation.options)) {
      const value = options[name];
      if (value === undefined) {
        if (spec.required) throw new Error(`${type}: option "${name}" is required`);
        continue;
      }
      if (!matchesSpec(value, spec.type)) throw new Error(`${type}: option "${name}" must be a ${describeType(spec.type)}`);
    }
    try {
      return { fn: transformation.compile(options), transformation };
    } catch (error) {
      throw new Error(`${type}: ${(error as Error).message}`);
    }
  }

  private register(transformation: AttributeTransformation, builtIn: boolean): void {
    const existing = this.byType.get(transformation.type);
    if (existing) {
      throw new Error(
        `Duplicate transformation type "${transformation.type}": ${nameOf(existing.transformation)} and ${nameOf(transformation)}`,
      );
    }
    if (!transformation.type || typeof transformation.compile !== 'function') {
      throw new Error(`${nameOf(transformation)} is not an AttributeTransformation (needs type and compile())`);
    }
    this.byType.set(transformation.type, { transformation, builtIn });
  }
}

function nameOf(transformation: AttributeTransformation): string {
  const ctor = (transformation as object).constructor?.name;
  return ctor && ctor !== 'Object' ? ctor : `built-in "${transformation.type}"`;
}

function matchesSpec(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string' && value.length <= 4096;
    case 'integer':
      return Number.isInteger(value) && (value as number) >= -1_000_000 && (value as number) <= 1_000_000;
    case 'boolean':
      return typeof value === 'boolean';
    case 'stringMap':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 1000 &&
        Object.values(value).every((entry) => typeof entry === 'string')
      );
    default:
      return false;
  }
}

function describeType(type: string): string {
  return type === 'stringMap' ? 'object of strings' : type;
}
