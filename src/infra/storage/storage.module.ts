import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { AppConfig } from '../../config';
import { LocalDiskStorage } from './local-disk.storage';
import { OBJECT_STORAGE, ObjectStorage } from './object-storage';

/** Temporary files older than this are leftovers of a crash, not uploads in progress. */
const TEMP_FILE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function createObjectStorage(config: AppConfig): ObjectStorage {
  return new LocalDiskStorage(config.storage.localDir);
}

/** Clears what an interrupted upload left in the temporary folder, once per start. */
@Injectable()
export class StorageLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('Storage');

  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(this.storage instanceof LocalDiskStorage)) return;
    try {
      const cutoff = new Date(this.clock.now().getTime() - TEMP_FILE_MAX_AGE_MS);
      const removed = await this.storage.sweepTemporaryFiles(cutoff);
      if (removed > 0) this.logger.warn(`已清理 ${removed} 个未完成上传留下的临时文件`);
    } catch (error) {
      // A full or read-only disk shows up on the first upload anyway; it must not stop the start.
      this.logger.error({ err: error }, '清理上传临时文件失败');
    }
  }
}

/** Provides OBJECT_STORAGE (local disk under `storage.localDir`). Needs the global AppConfig and Clock. */
@Module({
  providers: [
    { provide: OBJECT_STORAGE, useFactory: createObjectStorage, inject: [AppConfig] },
    StorageLifecycle,
  ],
  exports: [OBJECT_STORAGE],
})
export class StorageModule {}
