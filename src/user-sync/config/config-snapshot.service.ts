import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigChanges } from './config-changes.service';
import { AlbSettings, AlbSettingsService } from './alb-settings.service';
import { ConnectorEntity } from '../store/connector.entity';
import { DirectoryEntity } from '../store/directory.entity';
import { ConnectorsStore } from '../store/connectors.store';
import { DirectoriesStore } from '../store/directories.store';
import { SyncStateStore } from '../store/sync-state.store';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';

export interface ConfigSnapshot {
  settings: AlbSettings;
  /** The enabled JIT connector user sync uses, or null when sync is off or it is disabled. */
  connector: ConnectorEntity | null;
  /** Active directories in `position` order. */
  activeDirectories: DirectoryEntity[];
  directories: Map<string, DirectoryEntity>;
}

type Listener = () => void;

/**
 * What the login path needs of the configuration, read once and kept until an admin change.
 * Changes through this instance drop it at commit; changes through another instance are seen by
 * polling the sync generation (one tiny query every `syncPollMs`, 2 s by default).
 */
@Injectable()
export class ConfigSnapshotService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigSnapshotService.name);
  private snapshot: Promise<ConfigSnapshot> | null = null;
  private generation: number | null = null;
  private timer?: NodeJS.Timeout;
  private readonly listeners: Listener[] = [];

  constructor(
    private readonly syncState: SyncStateStore,
    private readonly directoryStore: DirectoriesStore,
    private readonly connectorStore: ConnectorsStore,
    private readonly settings: AlbSettingsService,
    private readonly changes: ConfigChanges,
    @Inject(USER_SYNC_OPTIONS) private readonly options: UserSyncModuleOptions,
  ) {}

  onModuleInit(): void {
    this.changes.onCommitted(() => this.invalidate());
    this.timer = setInterval(() => void this.poll(), this.options.syncPollMs ?? 2000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Called whenever the configuration may have changed. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  get(): Promise<ConfigSnapshot> {
    if (!this.snapshot) {
      const loading = this.load();
      this.snapshot = loading;
      loading.catch(() => {
        if (this.snapshot === loading) this.snapshot = null;
      });
    }
    return this.snapshot;
  }

  invalidate(): void {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  }

  private async poll(): Promise<void> {
    try {
      const generation = await this.syncState.generation();
      if (this.generation !== null && generation !== this.generation) this.invalidate();
      this.generation = generation;
    } catch (error) {
      // The database being down shows on the login path and /health; no need to log every poll.
      this.logger.debug(`sync generation poll failed: ${(error as Error).message}`);
    }
  }

  private async load(): Promise<ConfigSnapshot> {
    // Read before the configuration: a change committed meanwhile shows as a newer generation.
    this.generation = await this.syncState.generation();
    const settings = await this.settings.get();
    const all = await this.directoryStore.all();
    let connector: ConnectorEntity | null = null;
    if (settings.userSync.enabled && settings.userSync.connectorId) {
      connector = await this.connectorStore.byId(settings.userSync.connectorId);
      if (connector && (!connector.enabled || connector.type !== 'jit')) connector = null;
    }
    return {
      settings,
      connector,
      activeDirectories: all.filter((directory) => directory.active),
      directories: new Map(all.map((directory) => [directory.id, directory])),
    };
  }
}
