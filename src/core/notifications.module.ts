import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationFeed } from '#libs/notifications/notification-feed.js';
import { NotificationProjection } from '#libs/notifications/notification-projection.js';
import type { NotificationRule } from '#libs/notifications/notification.js';
import { NotificationsController } from '#libs/notifications/notifications.controller.js';

/** The notification outbox (a projection) and each person's stream of it. */
@Module({})
export class NotificationsModule {
  static forRoot(rules: Array<Type<NotificationRule>>): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [NotificationsController],
      providers: [
        ...rules,
        {
          provide: NotificationProjection,
          inject: rules,
          useFactory: (...instances: NotificationRule[]) => new NotificationProjection(instances),
        },
        {
          provide: NotificationFeed,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new NotificationFeed(dataSource),
        },
      ],
      exports: [NotificationProjection],
    };
  }
}
