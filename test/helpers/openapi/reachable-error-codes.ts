import * as path from 'node:path';
import ts from 'typescript';

/**
 * Which error codes a controller method can end in, read from the source: every `XxxErrorCode.CODE` in
 * the method and in every function or method of this repository it calls, transitively (resolved with
 * the type checker, so `this.archives.get()` is followed into ArchivesService.get). An over-approximation
 * (a code referenced on a path the call never takes still counts), which is what "may answer with" means.
 * A function tagged `@errorsInBody` is not followed: it reports its codes in the body, per item.
 */
export class ErrorCodeReach {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  private readonly memo = new Map<ts.Node, Set<string>>();
  private readonly root: string;

  constructor(tsconfig = path.join(__dirname, '../../../tsconfig.json')) {
    this.root = path.dirname(tsconfig);
    const config = ts.getParsedCommandLineOfConfigFile(
      tsconfig,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    const srcFiles = config.fileNames.filter((f) => f.startsWith(path.join(this.root, 'src') + path.sep));
    this.program = ts.createProgram(srcFiles, config.options);
    this.checker = this.program.getTypeChecker();
  }

  /** Codes reachable from `ClassName.method` (a class of src/, e.g. a controller). */
  codesOf(className: string, method: string): Set<string> {
    let found: ts.MethodDeclaration | undefined;
    for (const source of this.program.getSourceFiles()) {
      if (!this.inRepository(source)) continue;
      source.forEachChild((node) => {
        if (ts.isClassDeclaration(node) && node.name?.text === className) {
          for (const member of node.members)
            if (ts.isMethodDeclaration(member) && member.name.getText(source) === method) found = member;
        }
      });
      if (found) break;
    }
    if (!found) throw new Error(`${className}.${method} not found in src/`);
    return this.visit(found);
  }

  private inRepository(node: ts.Node): boolean {
    const file = node.getSourceFile().fileName;
    return !file.includes('/node_modules/') && !file.endsWith('.d.ts') && !/\.spec\.ts$/.test(file);
  }

  private visit(declaration: ts.Node): Set<string> {
    const known = this.memo.get(declaration);
    if (known) return known;
    const codes = new Set<string>();
    this.memo.set(declaration, codes); // recursion ends here
    // `@errorsInBody`: the function catches every coded error and reports it in the answer's body (a
    // batch's per-line outcomes), so none of them is the route's HTTP answer.
    if (ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'errorsInBody')) return codes;
    const walk = (node: ts.Node): void => {
      if (
        ts.isPropertyAccessExpression(node) &&
        ts.isIdentifier(node.expression) &&
        /ErrorCode$/.test(node.expression.text)
      ) {
        codes.add(node.name.text);
      }
      // A module-level table (`const VIOLATION_ERRORS = { X: OrgUnitsErrorCode.Y }`) used by the code.
      if (ts.isIdentifier(node))
        for (const table of this.moduleConstants(node)) for (const code of this.visit(table)) codes.add(code);
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        for (const target of this.targets(node.expression))
          for (const code of this.visit(target)) codes.add(code);
      }
      ts.forEachChild(node, walk);
    };
    ts.forEachChild(declaration, walk);
    return codes;
  }

  private moduleConstants(identifier: ts.Identifier): ts.Node[] {
    const symbol = this.checker.getSymbolAtLocation(identifier);
    return (symbol?.declarations ?? [])
      .filter(
        (decl): decl is ts.VariableDeclaration =>
          ts.isVariableDeclaration(decl) &&
          !!decl.initializer &&
          ts.isObjectLiteralExpression(decl.initializer) &&
          ts.isSourceFile(decl.parent.parent.parent) &&
          this.inRepository(decl),
      )
      .map((decl) => decl.initializer!);
  }

  /** The function-like declarations (with a body, in this repository) a call expression may run. */
  private targets(callee: ts.Expression): ts.Node[] {
    let symbol = this.checker.getSymbolAtLocation(
      ts.isPropertyAccessExpression(callee) ? callee.name : callee,
    );
    if (!symbol) return [];
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const result: ts.Node[] = [];
    for (const decl of symbol.declarations ?? []) {
      if (!this.inRepository(decl)) continue;
      if (
        (ts.isMethodDeclaration(decl) ||
          ts.isFunctionDeclaration(decl) ||
          ts.isConstructorDeclaration(decl)) &&
        decl.body
      )
        result.push(decl);
      else if (ts.isVariableDeclaration(decl) && decl.initializer) result.push(decl.initializer);
      else if (ts.isClassDeclaration(decl)) {
        const ctor = decl.members.find(ts.isConstructorDeclaration);
        if (ctor?.body) result.push(ctor);
      } else if (ts.isPropertyDeclaration(decl) && decl.initializer) result.push(decl.initializer);
    }
    return result;
  }
}
