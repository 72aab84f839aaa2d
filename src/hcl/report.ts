/**
 * Collects every problem found in one source text (errors and warnings), each
 * located by field path through the source locator.
 */
import type { FieldProblem } from '../model/index.js';
import type { SourceLocator } from './locate.js';

/** Errors and warnings for one file; lines come from the locator. */
export class Report {
  readonly errors: FieldProblem[] = [];
  readonly warnings: FieldProblem[] = [];

  constructor(
    readonly locator: SourceLocator,
    private readonly file?: string,
  ) {}

  /**
   * Records an error at `field` (line: the field's, else its nearest enclosing
   * block's). `linePath` locates it elsewhere, e.g. at a duplicate `task.web[1]`.
   */
  error(field: string, message: string, linePath = field): void {
    this.errors.push(this.problem(field, message, linePath));
  }

  /** Records a warning at `field`. */
  warn(field: string, message: string): void {
    this.warnings.push(this.problem(field, message, field));
  }

  /** Adds problems found elsewhere (e.g. syntax errors), stamping this report's file. */
  addErrors(problems: readonly FieldProblem[]): void {
    for (const p of problems) this.errors.push(this.file === undefined || p.file !== undefined ? p : { ...p, file: this.file });
  }

  private problem(field: string, message: string, linePath: string): FieldProblem {
    const line = this.locator.line(linePath);
    return {
      field,
      message,
      ...(line === undefined ? {} : { line }),
      ...(this.file === undefined ? {} : { file: this.file }),
    };
  }
}
