import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../database/sql';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';

/**
 * The transaction a store call runs in: what TransactionRunner hands its work. Above the store it
 * is only passed along, never queried. Store writes take it first; reads take it last and, without
 * it, read outside any transaction.
 */
export type StoreTx = EntityManager;

/** Saves, turning a unique-constraint race into 409 CONFLICT. */
export async function saveUnique<T extends object>(tx: StoreTx, entity: T, conflict: string): Promise<T> {
  try {
    return await tx.save(entity);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.CONFLICT, conflict);
    throw error;
  }
}
