import { Inject, Injectable } from '@nestjs/common';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../../user-sync.options';
import { TransactionRunner } from '../../../database/transaction-runner.service';
import { AlbSettingsService } from '../../config/alb-settings.service';
import { ConnectorsStore } from '../../store/connectors.store';
import { UsersStore } from '../../store/users.store';
import { StoreTx } from '../../store/store-tx';
import { DomainError } from '../../../common/errors/domain-error';
import { withoutUndefined } from '../../../common/objects';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { Page, PageQueryDto } from '../../../common/pagination/page-query.dto';
import { ConfigChanges } from '../../config/config-changes.service';
import { AuditStore } from '../../store/audit.store';
import { DirectoriesService } from '../directories/directories.service';
import { AdminLockout } from '../settings/admin-lockout.service';
import { nameKey } from '../../identity/identity-rules';
import { findPreset } from '../../mapping/idp-presets';
import { MappingService } from '../../mapping/mapping.service';
import { TransformationRegistry } from '../../mapping/transformation-registry';
import { LoginPlanning } from '../../login/login-planning.service';
import { ConnectorEntity } from '../../store/connector.entity';
import { ConnectorGroupOptions, ConnectorUserOptions, Mapping } from '../../store/connector.types';
import { ConnectorBodyDto, CreateConnectorDto, MappingDto, UpdateConnectorDto } from './connector.dto';
import { ConnectorExportView, ConnectorView, ListedConnectorView, SavedConnectorView } from './connector.view';


const REQUIRED_FOR_CREATION: Array<[string, string]> = [
  ['username', 'username'],
  ['displayName', 'full name (displayName)'],
  ['email', 'email'],
];

/** POST /connectors: with a preset, the mappings may come from it. */
export type CreateConnectorRequest = Omit<CreateConnectorDto, 'mappings'> & { mappings?: CreateConnectorDto['mappings'] };

const DEFAULT_GROUPS: ConnectorGroupOptions = { alwaysAssign: [], removeUnlisted: false, createMissing: true, allowProtectedGroups: false };
const DEFAULT_USERS: ConnectorUserOptions = { updateExisting: true, reactivateOnLogin: false, refuseLookalikeUsernames: false };

@Injectable()
export class ConnectorsService {
  constructor(
    private readonly store: ConnectorsStore,
    private readonly users: UsersStore,
    private readonly settings: AlbSettingsService,
    private readonly transactions: TransactionRunner,
    private readonly directories: DirectoriesService,
    private readonly registry: TransformationRegistry,
    private readonly mapping: MappingService,
    private readonly planning: LoginPlanning,
    private readonly audit: AuditStore,
    private readonly changes: ConfigChanges,
    @Inject(USER_SYNC_OPTIONS) private readonly options: UserSyncModuleOptions,
    private readonly lockout: AdminLockout,
  ) {}

  /** With each connector's directory's user count and latest login. */
  async list(query: PageQueryDto): Promise<Page<ListedConnectorView>> {
    const [items, total] = await this.store.page(query.limit, query.offset);
    const stats = await this.users.statsByDirectory([...new Set(items.map((connector) => connector.directoryId))]);
    return {
      items: items.map((connector) => ({ ...toConnectorView(connector), stats: stats.get(connector.directoryId) ?? { users: 0, lastLoginAt: null } })),
      total,
    };
  }

  async get(id: string, tx?: StoreTx): Promise<ConnectorEntity> {
    const connector = await this.store.byId(id, tx);
    if (!connector) throw new DomainError(ErrorCode.NOT_FOUND, `No connector ${id}`);
    return connector;
  }

  async export(id: string): Promise<ConnectorExportView> {
    return toExport(await this.get(id));
  }

  /** @param checkWarnings false for an import: restoring an exported connector is not a new design. */
  async create(request: CreateConnectorRequest, actor: string, checkWarnings = true): Promise<SavedConnectorView> {
    const dto = withPreset(request);
    this.validateMappings(dto.mappings);
    const warnings = checkWarnings ? this.confirmedWarnings(dto.mappings, request) : [];
    if (dto.createDirectory === true && dto.directoryId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'directoryId: give directoryId or createDirectory, not both');
    }
    if (dto.createDirectory !== true && !dto.directoryId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'directoryId: required unless createDirectory is true');
    }
    return this.transactions.run(async (tx) => {
      await this.assertNameFree(tx, dto.name);
      await this.assertNoProtectedAlwaysAssign(normalize(dto).groups, tx);
      const directoryId = dto.createDirectory
        ? (await this.directories.createIn(tx, { name: dto.name, description: `Created for connector ${dto.name}` }, actor)).id
        : (await this.directories.get(dto.directoryId as string, tx)).id;
      const connector = await this.store.insert(tx, { ...normalize(dto), nameKey: nameKey(dto.name), directoryId }, `A connector named "${dto.name}" already exists`);
      await this.audit.configChange(tx, actor, { action: 'connector.created', name: connector.name }, { connectorId: connector.id, directoryId });
      await this.changes.changed(tx);
      return { ...toConnectorView(connector), warnings };
    });
  }

  async update(id: string, dto: UpdateConnectorDto, actor: string, admin?: unknown): Promise<SavedConnectorView> {
    let warnings: string[] = [];
    if (dto.mappings) {
      this.validateMappings(dto.mappings);
      warnings = this.confirmedWarnings(dto.mappings, dto);
    }
    return this.transactions.run(async (tx) => {
      const connector = await this.get(id, tx);
      if (dto.name !== undefined && nameKey(dto.name) !== connector.nameKey) await this.assertNameFree(tx, dto.name);
      if (dto.directoryId !== undefined) await this.directories.get(dto.directoryId, tx);
      const merged = normalize({ ...toExport(connector), ...withoutUndefined(dto) } as ConnectorBodyDto);
      await this.assertNoProtectedAlwaysAssign(merged.groups, tx);
      Object.assign(connector, merged, {
        nameKey: nameKey(merged.name),
        directoryId: dto.directoryId ?? connector.directoryId,
      });
      const settings = await this.settings.get(tx);
      if (settings.userSync.connectorId === id) await this.lockout.check(tx, admin, { settings, connector }, { carryOverAdmins: dto.carryOverAdmins, confirmLockout: dto.confirmLockout });
      await this.store.save(tx, connector, `A connector named "${dto.name}" already exists`);
      await this.audit.configChange(tx, actor, { action: 'connector.updated', changes: Object.keys(dto) }, { connectorId: id, directoryId: connector.directoryId });
      await this.changes.changed(tx);
      return { ...toConnectorView(connector), warnings };
    });
  }

  async delete(id: string, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const connector = await this.get(id, tx);
      if ((await this.settings.get(tx)).userSync.connectorId === id) {
        throw new DomainError(ErrorCode.CONFLICT, 'The ALB settings use this connector for user sync: change them first');
      }
      await this.store.delete(tx, id);
      await this.audit.configChange(tx, actor, { action: 'connector.deleted', name: connector.name }, { connectorId: id, directoryId: connector.directoryId });
      await this.changes.changed(tx);
    });
  }

  /**
   * POST /connectors/preview: what a login with these claims would do under an unsaved connector
   * body (the console previews while editing); writes nothing, caches nothing.
   */
  async previewUnsaved(body: ConnectorBodyDto, claims: Record<string, unknown>, accessClaims: Record<string, unknown> | undefined, ids: { connectorId?: string; directoryId?: string }) {
    this.validateMappings(body.mappings ?? []);
    const saved = ids.connectorId ? await this.get(ids.connectorId) : null;
    const connector = {
      ...normalize(body),
      // The saved connector's id: its own grants are what an edit would change.
      id: saved?.id ?? '00000000-0000-0000-0000-000000000000',
      version: 0,
      directoryId: ids.directoryId ?? saved?.directoryId ?? '00000000-0000-0000-0000-000000000000',
      unsaved: true,
    } as unknown as ConnectorEntity;
    if (ids.directoryId) await this.directories.get(ids.directoryId);
    return this.planning.preview(connector, claims, accessClaims);
  }

  /**
   * What would make a connector unable to create users: a required mapping missing, or the claims
   * last previewed (`checkClaims`) or a sample identity (local mode: the emulator's) giving no
   * username, full name or email. Saving with warnings needs `confirm: true`.
   */
  saveWarnings(mappings: MappingDto[], check?: { claims: Record<string, unknown>; accessClaims?: Record<string, unknown> }): string[] {
    const warnings: string[] = [];
    const mapped = new Set(mappings.map((mapping) => mapping.attribute));
    for (const [attribute, label] of REQUIRED_FOR_CREATION) {
      if (!mapped.has(attribute)) warnings.push(`no ${label} mapping: new users cannot be created`);
    }
    const samples = [...(check ? [{ label: 'the claims last previewed', ...check }] : []), ...(this.options.sampleIdentities ?? [])];
    if (samples.length === 0) return warnings;
    const connector = { id: 'check', version: 0, mappings: normalize({ name: 'check', mappings } as ConnectorBodyDto).mappings, unsaved: true };
    for (const sample of samples) {
      const result = this.mapping.map(connector, sample.claims, sample.accessClaims ?? {});
      if (result.rejected) {
        warnings.push(`${sample.label}: rejected (${result.rejected.reason})`);
        continue;
      }
      const missing = REQUIRED_FOR_CREATION.filter(([attribute]) => mapped.has(attribute) && !result.user[attribute as 'username']).map(([, label]) => label);
      const why = result.warnings.filter((warning) => warning.startsWith('no value')).join('; ');
      if (missing.length) warnings.push(`${sample.label}: no ${missing.join(', ')}${why ? ` (${why})` : ''}: could not sign in for the first time`);
    }
    return warnings;
  }

  /** The warnings a save goes ahead despite: none, or all of them with `confirm: true`. */
  private confirmedWarnings(mappings: MappingDto[], request: { confirm?: boolean; checkClaims?: { claims: Record<string, unknown>; accessClaims?: Record<string, unknown> } }): string[] {
    const warnings = this.saveWarnings(mappings, request.checkClaims);
    if (warnings.length && !request.confirm) {
      throw new DomainError(ErrorCode.CONFIRMATION_REQUIRED, `Not saved: ${warnings.join('; ')}. Send confirm: true to save anyway`, warnings);
    }
    return warnings;
  }

  /** Rules class-validator cannot express: transformation types and options, sources xor template. */
  private validateMappings(mappings: MappingDto[]): void {
    const problems: string[] = [];
    const seen = new Set<string>();
    mappings.forEach((mapping, index) => {
      const path = `mappings[${index}]`;
      if (mapping.sources === undefined && mapping.template === undefined) {
        problems.push(`${path}: give sources, a template, or both (the template first, the sources when it lacks a claim)`);
      }
      if (mapping.sources?.length === 0) problems.push(`${path}.sources: must not be empty`);
      if (seen.has(mapping.attribute)) problems.push(`${path}.attribute: ${mapping.attribute} is mapped twice`);
      seen.add(mapping.attribute);
      (mapping.transformations ?? []).forEach((step, stepIndex) => {
        for (const problem of this.registry.validate(step)) problems.push(`${path}.transformations[${stepIndex}]: ${problem}`);
      });
    });
    if (!seen.has('username')) problems.push('mappings: a username mapping is required');
    if (problems.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, problems.join('; '));
  }

  /** alwaysAssign would grant a protected group to every user of the connector: only when it allows them. */
  private async assertNoProtectedAlwaysAssign(groups: ConnectorGroupOptions, tx: StoreTx): Promise<void> {
    if (groups.allowProtectedGroups) return;
    const protectedKeys = new Set((await this.settings.get(tx)).protectedGroups.map(nameKey));
    const refused = groups.alwaysAssign.filter((group) => protectedKeys.has(nameKey(group)));
    if (refused.length) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `groups.alwaysAssign: ${refused.join(', ')} ${refused.length === 1 ? 'is a protected group' : 'are protected groups'} (settings protectedGroups); set groups.allowProtectedGroups to grant ${refused.length === 1 ? 'it' : 'them'} from this connector`,
      );
    }
  }

  private async assertNameFree(tx: StoreTx, name: string): Promise<void> {
    if (await this.store.nameKeyTaken(nameKey(name), tx)) {
      throw new DomainError(ErrorCode.CONFLICT, `A connector named "${name}" already exists`);
    }
  }
}

/** The preset's connector under the request's own fields (groups merged field by field). */
function withPreset(dto: CreateConnectorRequest): CreateConnectorDto {
  if (dto.preset === undefined) {
    if (!dto.mappings) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'mappings: required unless a preset gives them');
    return dto as CreateConnectorDto;
  }
  const preset = findPreset(dto.preset);
  if (!preset) throw new DomainError(ErrorCode.VALIDATION_FAILED, `preset: no preset ${dto.preset}`);
  const { preset: _id, ...own } = dto;
  return {
    primaryKey: preset.connector.primaryKey,
    mappings: structuredClone(preset.connector.mappings) as MappingDto[],
    ...withoutUndefined(own),
    groups: { ...preset.connector.groups, ...withoutUndefined(own.groups ?? {}) },
  } as CreateConnectorDto;
}

function normalize(dto: ConnectorBodyDto): ConnectorExportView {
  return {
    name: dto.name,
    type: 'jit',
    enabled: dto.enabled ?? true,
    primaryKey: dto.primaryKey ?? 'sub',
    mappings: dto.mappings.map((mapping) => ({
      attribute: mapping.attribute,
      ...withoutUndefined({
        sources: mapping.sources,
        template: mapping.template,
        transformations: mapping.transformations?.map((step) => ({ ...step })),
        onNoMatch: mapping.onNoMatch,
        update: mapping.update,
      }),
    })),
    groups: { ...DEFAULT_GROUPS, ...withoutUndefined(dto.groups ?? {}) },
    users: { ...DEFAULT_USERS, ...withoutUndefined(dto.users ?? {}) },
  };
}

export function toExport(connector: ConnectorEntity): ConnectorExportView {
  return {
    name: connector.name,
    type: connector.type,
    enabled: connector.enabled,
    primaryKey: connector.primaryKey,
    mappings: connector.mappings,
    groups: connector.groups,
    users: connector.users,
  };
}

export function toConnectorView(connector: ConnectorEntity): ConnectorView {
  return { id: connector.id, directoryId: connector.directoryId, version: connector.version, ...toExport(connector) };
}
