// Small Disposable base: subclasses register what they own and it is all released once, in reverse order.

export interface DisposableLike { dispose(): unknown }

export abstract class Disposable implements DisposableLike {
  private readonly _disposables: DisposableLike[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  protected _register<T extends DisposableLike>(value: T): T {
    if (this._isDisposed) {
      value.dispose();
    } else {
      this._disposables.push(value);
    }
    return value;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    // Reverse order: later registrations may depend on earlier ones.
    for (const d of this._disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing disposal must not keep the rest alive.
      }
    }
  }
}
