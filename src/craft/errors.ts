/**
 * Craft expression errors: a message and the span of the expression it concerns, printed as the
 * display-filter errors are (the expression echoed with a caret under the place).
 */
import { FilterError } from '../filter/errors.js';

export class CraftError extends FilterError {
  constructor(message: string, expression: string, span: { readonly start: number; readonly end: number }) {
    super(message, expression, span);
    this.name = 'CraftError';
  }

  /** `craft error: MESSAGE`, the expression, and the caret line. */
  override lines(): [string, string, string] {
    const [, shown, caret] = super.lines();
    return [`craft error: ${this.message}`, shown, caret];
  }
}
