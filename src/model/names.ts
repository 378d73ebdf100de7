/**
 * Spec names to code names. Services are kebab-case, events dotted: generators turn them
 * into identifiers, environment variables and file names here, in one place.
 */
/**
 * Generators ask for the same few names thousands of times (a 100-service system: ~60,000
 * conversions of ~2,000 names): each conversion is computed once per name.
 */
function memo(convert: (name: string) => string): (name: string) => string {
  const cache = new Map<string, string>();
  return (name) => {
    let out = cache.get(name);
    if (out === undefined) cache.set(name, (out = convert(name)));
    return out;
  };
}

function words(name: string): string[] {
  return name
    .replace(/\*/g, ' any ')
    .split(/[^A-Za-z0-9]+/)
    .flatMap((w) => w.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter(Boolean);
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** `order-history` → `OrderHistory`, `order.created` → `OrderCreated`. */
export const pascalCase = memo((name) => words(name).map(cap).join(''));

/** `order-history` → `orderHistory`. */
export const camelCase = memo((name) => {
  const p = pascalCase(name);
  return p.charAt(0).toLowerCase() + p.slice(1);
});

/** `order-history` → `ORDER_HISTORY`. */
export const constantCase = memo((name) =>
  words(name)
    .map((w) => w.toUpperCase())
    .join('_'),
);

/** The environment variable holding a callee's base URL (SPEC §5): `ORDER_HISTORY_SERVICE_URL`. */
export function serviceUrlEnv(service: string): string {
  return `${constantCase(service)}_SERVICE_URL`;
}

/** Default handler of a subscription: `order.created` → `onOrderCreated`, `payment.*` → `onPaymentAny`. */
export function defaultHandlerName(event: string): string {
  return `on${pascalCase(event)}`;
}

/** Does an event name match a subscription pattern (`*` is exactly one segment)? */
export function eventMatches(pattern: string, event: string): boolean {
  if (!pattern.includes('*')) return pattern === event;
  const p = pattern.split('.');
  const e = event.split('.');
  return p.length === e.length && p.every((seg, i) => seg === '*' || seg === e[i]);
}

/** The methods of a saga's step class for one step: `create-order` → `createOrder`, `compensateCreateOrder`. */
export const sagaStepMethods = (step: string): { readonly action: string; readonly compensation: string } => ({
  action: camelCase(step),
  compensation: `compensate${pascalCase(step)}`,
});
