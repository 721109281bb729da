import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../../common/openapi/api-errors';
import { Authorize, CurrentPrincipal, Public } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import {
  ActivateMenuItemDto,
  CreateMenuItemDto,
  DeactivateMenuItemDto,
  ListMenuItemsQueryDto,
  MenuDto,
  MenuItemAdminDto,
  MenuItemAdminPageDto,
  MenuItemDto,
  UpdateMenuItemDto,
} from './dto/menu.dto';
import { MenuItemCodePipe } from './menu-item-code.pipe';
import { MenuErrorCode } from './menu.errors';
import { MenuService } from './menu.service';

/** 点菜单: what anyone (a worker on a phone before logging in, too) may see. */
@ApiTags('menu')
@Controller('menu')
export class MenuController {
  constructor(private readonly menu: MenuService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: '服务菜单：按类别分组的启用项目（无需登录；支持 ETag / If-None-Match）' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: '上次响应的 ETag；未变化时返回 304' })
  @ApiOkResponse({ type: MenuDto })
  @ApiResponse({ status: 304, description: '菜单未变化（无响应体）' })
  async get(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MenuDto | undefined> {
    const { menu, etag } = await this.menu.publicMenu();
    // Every response stays no-store (http-hardening.ts); the worker app keeps its own copy of the menu and
    // sends its ETag back: a 304 without a body while no administrator has changed the menu.
    void reply.header('etag', etag);
    if (ifNoneMatch(request.headers['if-none-match'], etag)) {
      void reply.status(304);
      return undefined;
    }
    return menu;
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: '服务菜单中的一个项目（无需登录）' })
  @ApiOkResponse({ type: MenuItemDto })
  @ApiErrors(MenuErrorCode.MENU_ITEM_NOT_FOUND)
  item(@Param('code', MenuItemCodePipe) code: string): Promise<MenuItemDto> {
    return this.menu.publicItem(code);
  }
}

/** The menu's administration: every item, active or not; changes are audited; nothing is deleted. */
@ApiTags('menu')
@ApiBearerAuth()
@Controller('menu-items')
export class MenuItemsController {
  constructor(private readonly menu: MenuService) {}

  @Get()
  @Authorize('menu-items.read')
  @ApiOperation({ summary: '服务菜单项目列表（含停用项目）' })
  @ApiOkResponse({ type: MenuItemAdminPageDto })
  list(@Query() query: ListMenuItemsQueryDto): Promise<MenuItemAdminPageDto> {
    return this.menu.list(query);
  }

  @Get(':code')
  @Authorize('menu-items.read')
  @ApiOperation({ summary: '服务菜单项目详情（含版本号）' })
  @ApiOkResponse({ type: MenuItemAdminDto })
  @ApiErrors(MenuErrorCode.MENU_ITEM_NOT_FOUND)
  get(@Param('code', MenuItemCodePipe) code: string): Promise<MenuItemAdminDto> {
    return this.menu.get(code);
  }

  @Post()
  @Authorize('menu-items.manage')
  @ApiOperation({ summary: '新增服务菜单项目（留痕）' })
  @ApiCreatedResponse({ type: MenuItemAdminDto })
  @ApiErrors(
    MenuErrorCode.MENU_ITEM_CODE_TAKEN,
    MenuErrorCode.MENU_ITEM_INCONSISTENT,
    MenuErrorCode.MENU_TEXT_CONTAINS_PERSONAL_DATA,
  )
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateMenuItemDto,
  ): Promise<MenuItemAdminDto> {
    return this.menu.create(principal, dto);
  }

  @Patch(':code')
  @Authorize('menu-items.manage')
  @ApiOperation({ summary: '修改服务菜单项目（带版本号；留痕；此后不再随 config/menu.yml 更新）' })
  @ApiOkResponse({ type: MenuItemAdminDto })
  @ApiErrors(
    MenuErrorCode.MENU_ITEM_NOT_FOUND,
    MenuErrorCode.MENU_ITEM_VERSION_CONFLICT,
    MenuErrorCode.MENU_ITEM_INCONSISTENT,
    MenuErrorCode.MENU_TEXT_CONTAINS_PERSONAL_DATA,
  )
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('code', MenuItemCodePipe) code: string,
    @Body() dto: UpdateMenuItemDto,
  ): Promise<MenuItemAdminDto> {
    return this.menu.update(principal, code, dto);
  }

  @Post(':code/deactivate')
  @HttpCode(200)
  @Authorize('menu-items.manage')
  @ApiOperation({ summary: '停用服务菜单项目（写明原因；已有需求和供给不受影响）' })
  @ApiOkResponse({ type: MenuItemAdminDto })
  @ApiErrors(
    MenuErrorCode.MENU_ITEM_NOT_FOUND,
    MenuErrorCode.MENU_ITEM_VERSION_CONFLICT,
    MenuErrorCode.MENU_ITEM_ALREADY_IN_STATE,
    MenuErrorCode.MENU_TEXT_CONTAINS_PERSONAL_DATA,
  )
  deactivate(
    @CurrentPrincipal() principal: Principal,
    @Param('code', MenuItemCodePipe) code: string,
    @Body() dto: DeactivateMenuItemDto,
  ): Promise<MenuItemAdminDto> {
    return this.menu.deactivate(principal, code, dto);
  }

  @Post(':code/activate')
  @HttpCode(200)
  @Authorize('menu-items.manage')
  @ApiOperation({ summary: '重新启用服务菜单项目' })
  @ApiOkResponse({ type: MenuItemAdminDto })
  @ApiErrors(
    MenuErrorCode.MENU_ITEM_NOT_FOUND,
    MenuErrorCode.MENU_ITEM_VERSION_CONFLICT,
    MenuErrorCode.MENU_ITEM_ALREADY_IN_STATE,
  )
  activate(
    @CurrentPrincipal() principal: Principal,
    @Param('code', MenuItemCodePipe) code: string,
    @Body() dto: ActivateMenuItemDto,
  ): Promise<MenuItemAdminDto> {
    return this.menu.activate(principal, code, dto);
  }
}

/** Whether an If-None-Match header names `etag` (a list, `*` and weak tags too, as RFC 9110 compares for GET). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
