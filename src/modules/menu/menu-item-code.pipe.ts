import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { MENU_ITEM_CODE_PATTERN } from './menu.enums';
import { MenuErrorCode } from './menu.errors';

/** A `:code` path parameter: a code that cannot exist is answered like an unknown one (404), before any query. */
@Injectable()
export class MenuItemCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!MENU_ITEM_CODE_PATTERN.test(value))
      throw new DomainError(MenuErrorCode.MENU_ITEM_NOT_FOUND, { code: null });
    return value;
  }
}
