import { METHODS } from 'node:http';
import type { Request } from 'express';

/** The parts of Express's router (the `router` package) that the route table is read from. */
interface RouterLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  match(path: string): unknown;
}

function matches(layer: RouterLayer, path: string): boolean {
  try {
    return Boolean(layer.match(path));
  } catch {
    // A parameter that is not valid percent-encoding: no route serves it.
    return false;
  }
}

/** A middleware mounted on every path and method (`app.all`), not a resource's route. */
const servesEveryMethod = (route: NonNullable<RouterLayer['route']>) =>
  METHODS.every((method) => route.methods[method.toLowerCase()]);

/**
 * The methods the app's own route table serves at `path`, read from the Express router that
 * Nest registers every route on, so that no list is kept by hand; HEAD comes with GET.
 */
export function allowedMethods(request: Request): string[] {
  const router = (request.app as unknown as { router?: { stack?: readonly RouterLayer[] } }).router;
  const methods = new Set<string>();
  for (const layer of router?.stack ?? []) {
    if (!layer.route || servesEveryMethod(layer.route) || !matches(layer, request.path)) continue;
    for (const [method, served] of Object.entries(layer.route.methods)) {
      if (served && method !== '_all') methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
