import 'reflect-metadata';

export const API_ERRORS = 'bangfu:api-errors';

/**
 * The error codes a route answers with beyond those the document derives from how every route is served
 * (input validation, authentication, the permission table): on a method for that route, on a controller
 * for all of its routes. Pass catalog constants (`ArchivesErrorCode.ARCHIVE_NOT_FOUND`): the status and
 * the Chinese message of each code come from its `defineErrors` catalog, so the document cannot disagree
 * with what the error filter sends. Several `@ApiErrors` on one target add up.
 */
export function ApiErrors(...codes: string[]): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor ? descriptor.value : target) as object;
    const existing = (Reflect.getMetadata(API_ERRORS, holder) as string[] | undefined) ?? [];
    Reflect.defineMetadata(API_ERRORS, [...existing, ...codes], holder);
  };
}

export function declaredApiErrors(holder: object): string[] {
  return (Reflect.getMetadata(API_ERRORS, holder) as string[] | undefined) ?? [];
}
