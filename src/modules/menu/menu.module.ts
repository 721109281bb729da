import { Module } from '@nestjs/common';
import { MenuController, MenuItemsController } from './menu.controller';
import { MenuRepository } from './menu.repository';
import { MenuService } from './menu.service';

/**
 * The service menu (点菜单). Needs and offers import it for MenuService. Needs the global DataSource and
 * AuditService (AuditModule).
 */
@Module({
  controllers: [MenuController, MenuItemsController],
  providers: [MenuRepository, MenuService],
  exports: [MenuService],
})
export class MenuModule {}
