import { Composer as GrammyComposer, type Context, type Middleware, type MiddlewareFn, type NextFunction } from "grammy";

type MaybePromise<T> = T | Promise<T>;

/**
 * grammY's Composer, walked as a list (issue 11). grammY nests every `use` in an async wrapper (`concat`), and
 * every wrapper is entered on every update however early the chain stops; each filter (`on`, `command`,
 * `callbackQuery`, …) runs through `lazy`, which builds a Composer per update. A press on its way through the
 * switchboard entered ~40 wrappers and made a few hundred promises before its handler ran. This one keeps
 * grammY's API and meaning (everything registers through `use`, `filter`, `branch` or `lazy`, overridden here)
 * but keeps its middleware in an array and walks it: a filter that does not match is one call, and nothing
 * after a handler that does not call `next` is entered. `test/shared/composer.unit.test.ts` runs the same
 * registrations through both and compares what ran.
 */
export class Composer<C extends Context> extends GrammyComposer<C> {
  private readonly list: MiddlewareFn<C>[];
  private readonly walk: MiddlewareFn<C>;

  constructor(...middleware: Middleware<C>[]) {
    super();
    const list = middleware.map(flatten);
    this.list = list;
    this.walk = (ctx, next) => walk(list, 0, ctx, next);
  }

  override middleware(): MiddlewareFn<C> {
    return this.walk;
  }

  override use(...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Composer<C>(...middleware);
    this.list.push(composer.walk);
    return composer;
  }

  override filter<D extends C>(predicate: (ctx: C) => ctx is D, ...middleware: Middleware<D>[]): Composer<D>;
  override filter(predicate: (ctx: C) => MaybePromise<boolean>, ...middleware: Middleware<C>[]): Composer<C>;
  override filter(predicate: (ctx: C) => MaybePromise<boolean>, ...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Composer<C>(...middleware);
    this.list.push(choose(predicate, composer.walk, pass));
    return composer;
  }

  override branch(predicate: (ctx: C) => MaybePromise<boolean>, trueMiddleware: MaybeArray<Middleware<C>>, falseMiddleware: MaybeArray<Middleware<C>>): Composer<C> {
    return this.use(choose(predicate, flattenAll(trueMiddleware), flattenAll(falseMiddleware)));
  }

  override lazy(middlewareFactory: (ctx: C) => MaybePromise<MaybeArray<Middleware<C>>>): Composer<C> {
    return this.use((ctx, next) => {
      const made = middlewareFactory(ctx);
      if (made instanceof Promise) return made.then((mw) => flattenAll(mw)(ctx, next));
      return flattenAll(made)(ctx, next);
    });
  }
}

type MaybeArray<T> = T | T[];

const pass = <C extends Context>(_ctx: C, next: NextFunction) => next();

/** `yes` or `no` by the predicate, waiting for it only when it is a promise. */
function choose<C extends Context>(predicate: (ctx: C) => MaybePromise<boolean>, yes: MiddlewareFn<C>, no: MiddlewareFn<C>): MiddlewareFn<C> {
  return (ctx, next) => {
    const ok = predicate(ctx);
    if (typeof ok === "boolean") return (ok ? yes : no)(ctx, next);
    return ok.then((y) => (y ? yes : no)(ctx, next));
  };
}

function flatten<C extends Context>(mw: Middleware<C>): MiddlewareFn<C> {
  if (typeof mw === "function") return mw;
  // Ours walks the same array for good; grammY's may be extended after it was registered, so is asked each time.
  if (mw instanceof Composer) return mw.middleware();
  return (ctx, next) => mw.middleware()(ctx, next);
}

function flattenAll<C extends Context>(mw: MaybeArray<Middleware<C>>): MiddlewareFn<C> {
  if (!Array.isArray(mw)) return flatten(mw);
  if (mw.length === 1) return flatten(mw[0] as Middleware<C>);
  const list = mw.map(flatten);
  return (ctx, next) => walk(list, 0, ctx, next);
}

/** Runs `list[i]`, whose `next` runs the rest and then `last`; a promise settled when they are done, as grammY's is. */
function walk<C extends Context>(list: readonly MiddlewareFn<C>[], i: number, ctx: C, last: NextFunction): Promise<void> {
  if (i === list.length) return last();
  // The last one gets `last` itself (whoever passed it guards it): a composer of one costs one call.
  if (i === list.length - 1) return call(list[i] as MiddlewareFn<C>, ctx, last);
  let called = false;
  const next: NextFunction = () => {
    if (called) return Promise.reject(new Error("`next` already called before!"));
    called = true;
    return walk(list, i + 1, ctx, last);
  };
  return call(list[i] as MiddlewareFn<C>, ctx, next);
}

/** A middleware's promise (a thrown error as a rejection, as grammY's async wrappers make it). */
function call<C extends Context>(mw: MiddlewareFn<C>, ctx: C, next: NextFunction): Promise<void> {
  try {
    // A native promise is returned as it is; what a middleware resolves to is ignored, as grammY ignores it.
    return Promise.resolve(mw(ctx, next)) as Promise<void>;
  } catch (err) {
    return Promise.reject(err);
  }
}
