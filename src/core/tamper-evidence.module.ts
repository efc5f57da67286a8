import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { LOGGER, type Logger } from '#libs/observability/logger.js';
import { MerkleLog } from '#libs/tamper-evidence/merkle-log.js';
import { SealSigner } from '#libs/tamper-evidence/seal-signer.js';
import { SEAL_SINK, sealSinkFromConfig, type SealSink } from '#libs/tamper-evidence/seal-sink.js';
import { Sealer } from '#libs/tamper-evidence/sealer.js';

@Injectable()
class TamperEvidenceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(MerkleLog) private readonly log: MerkleLog,
    @Inject(Sealer) private readonly sealer: Sealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Background work, as the projections: a CLI that only reads (PROJECTIONS_ENABLED=false)
    // neither grows the tree nor seals.
    if (!this.config.PROJECTIONS_ENABLED) return;
    this.log.start();
    this.sealer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.log.stop();
    await this.sealer.stop();
  }
}

/**
 * Tamper evidence that holds against someone with database access (issue 17): the Merkle log
 * over every stored event, kept beside the events in PostgreSQL, and its seals, signed with a
 * key the database never holds and copied to a sink outside it.
 */
@Module({})
export class TamperEvidenceModule {
  static forRoot(): DynamicModule {
    // The sealer seals when the tree has grown enough; the tree tells it when it grew.
    let sealer: Sealer | undefined;
    return {
      module: TamperEvidenceModule,
      global: true,
      providers: [
        {
          provide: SealSigner,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            SealSigner.fromConfig({
              signingKey: config.AUDIT_SIGNING_KEY,
              dataDir: config.DATA_DIR,
              production: !config.isDevelopment,
            }),
        },
        {
          provide: SEAL_SINK,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            sealSinkFromConfig({
              sink: config.AUDIT_SEAL_SINK,
              dataDir: config.DATA_DIR,
              production: !config.isDevelopment,
            }),
        },
        {
          provide: MerkleLog,
          inject: [DataSource, EVENT_STORE, APP_CONFIG, LOGGER],
          useFactory: (
            dataSource: DataSource,
            store: EventStore,
            config: AppConfig,
            logger: Logger,
          ) =>
            new MerkleLog(dataSource, store, {
              batchSize: config.PROJECTION_BATCH_SIZE,
              pollMs: 250,
              logger: {
                warn: (obj, msg) => logger.warn(obj, msg),
                error: (obj, msg) => logger.error(obj, msg),
              },
              onGrown: () => void sealer?.sealIfDue().catch(() => undefined),
            }),
        },
        {
          provide: Sealer,
          inject: [DataSource, MerkleLog, SealSigner, SEAL_SINK, CLOCK, APP_CONFIG, LOGGER],
          useFactory: (
            dataSource: DataSource,
            log: MerkleLog,
            signer: SealSigner,
            sink: SealSink,
            clock: Clock,
            config: AppConfig,
            logger: Logger,
          ) => {
            sealer = new Sealer(dataSource, log, signer, sink, clock, {
              everyEvents: config.SEAL_EVERY_EVENTS,
              intervalMinutes: config.SEAL_INTERVAL_MINUTES,
              logger: { warn: (obj, msg) => logger.warn(obj, msg) },
            });
            return sealer;
          },
        },
        TamperEvidenceLifecycle,
      ],
      exports: [MerkleLog, Sealer, SealSigner, SEAL_SINK],
    };
  }
}
