import { Module } from '@nestjs/common';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';

/**
 * Partner organisations (合作方). Offers and matches import it for PartnersService. Needs the global
 * DataSource.
 */
@Module({
  providers: [PartnersRepository, PartnersService],
  exports: [PartnersService],
})
export class PartnersModule {}
