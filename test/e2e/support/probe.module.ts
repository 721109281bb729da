import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../../src/modules/auth/authorization/decorators';
import { requestContext } from '../../../src/common/context/request-context';
import { CommonErrorCode, DomainError } from '../../../src/common/errors';
import { PaginationQueryDto, pageOf, Page } from '../../../src/common/pagination/pagination';

class ChildDto {
  @IsString() @MaxLength(10) name!: string;
}

class EchoDto {
  @IsString() @MaxLength(20) title!: string;
  @IsInt() @Min(0) @Max(100) count!: number;
  @ValidateNested() @Type(() => ChildDto) child!: ChildDto;
}

/** Endpoints that exercise the HTTP conventions; mounted only in the conventions e2e spec. */
@Public()
// Test support, not part of the API: kept out of the OpenAPI document (and so out of its response check).
@ApiExcludeController()
@Controller('__probe')
class ProbeController {
  @Post('echo')
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }

  @Get('list')
  list(@Query() query: PaginationQueryDto): Page<number> {
    return pageOf([1, 2, 3], 3, query);
  }

  @Get('context')
  async context(): Promise<{ requestId?: string; ip?: string | null }> {
    await new Promise((r) => setTimeout(r, 5)); // the context must survive async hops
    const context = requestContext.current();
    return { requestId: context?.requestId, ip: context?.ip };
  }

  @Get('conflict')
  conflict(): never {
    throw new DomainError(CommonErrorCode.CONFLICT, { currentState: 'draft' });
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail 110101199003071234');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
