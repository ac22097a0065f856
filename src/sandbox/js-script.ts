// Builds the script evaluated inside the QuickJS isolate: a prelude (console, env), the user's transpiled code
// wrapped in a CommonJS-style function scope, and the call that stores a JSON outcome in a global.
import { transform } from 'esbuild';
import { findFunction, type JsFunction } from './js-signature.js';
import { MAX_RESULT_BYTES, type ParsedSandboxRequest } from './types.js';

export class ToolInputError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Keyword args become the call's arguments: a function whose only parameter is an object pattern
 * (`function f({ a, b })`) receives the whole args object; otherwise args are placed by parameter name, in order.
 */
function planCall(fn: JsFunction, args: Record<string, unknown>): { mode: 'object' } | { mode: 'positional'; order: string[] } {
  const [first] = fn.params;
  if (fn.params.length === 1 && first?.name === null && first.destructuredKeys) return { mode: 'object' };
  const names = fn.params.map((p) => p.name ?? '');
  const hasRest = fn.params.some((p) => p.rest);
  const unknown = Object.keys(args).filter((k) => !names.includes(k));
  if (unknown.length > 0 && !hasRest) {
    throw new ToolInputError('TypeError', `${fn.name}() got an unexpected keyword argument '${unknown[0]}'`);
  }
  const order = fn.params.filter((p) => p.name && !p.rest).map((p) => p.name ?? '');
  return { mode: 'positional', order };
}

export async function buildScript(req: ParsedSandboxRequest): Promise<string> {
  const fn = findFunction(req.sourceCode, req.functionName);
  if (!fn) throw new ToolInputError('NameError', `function '${req.functionName}' not found in the tool source`);
  const plan = planCall(fn, req.args);
  const code = await transpile(req.sourceCode, req.language === 'typescript');
  const target =
    fn.name === 'default' ? 'module.exports.default' : `(typeof ${fn.name} === 'function' ? ${fn.name} : module.exports.${fn.name})`;
  const callArgs = plan.mode === 'object' ? '__args' : `...${JSON.stringify(plan.order)}.map((k) => __args[k])`;
  return [
    prelude(req.env),
    `const __target = (function () { var module = { exports: {} }; var exports = module.exports;`,
    code,
    `;\nreturn ${target}; })();`,
    `const __args = JSON.parse(${JSON.stringify(JSON.stringify(req.args))});`,
    `Promise.resolve().then(() => __target(${callArgs})).then(__settle.ok, __settle.fail).catch(__settle.lost);`,
  ].join('\n');
}

async function transpile(source: string, typescript: boolean): Promise<string> {
  try {
    const out = await transform(source, { loader: typescript ? 'ts' : 'js', format: 'cjs', target: 'es2020' });
    return out.code;
  } catch (err) {
    throw new ToolInputError('SyntaxError', `could not compile the tool source: ${(err as Error).message}`);
  }
}

/**
 * Console and env for the tool. `env` is a frozen plain object; `process` is a shim holding only that same
 * `env` (so `process.env.X` tools work) and nothing else: no exit, no binding, no host access.
 * __settle stores the outcome with a JSON.stringify captured before user code can replace it. The result's JSON
 * is kept in its own global (never encoded twice) and refused above MAX_RESULT_BYTES (length in UTF-16 units is a
 * lower bound of the UTF-8 size, the host checks the bytes); `lost` records a failure to record (out of memory).
 */
function prelude(env: Record<string, string>): string {
  return `
globalThis.env = Object.freeze(JSON.parse(${JSON.stringify(JSON.stringify(env))}));
globalThis.process = Object.freeze({ env: globalThis.env });
const __settle = (() => {
  const write = globalThis.__mnemoWrite; delete globalThis.__mnemoWrite;
  const stringify = JSON.stringify; const S = String; const MAX = ${MAX_RESULT_BYTES};
  const fmt = (a) => typeof a === 'string' ? a : (() => { try { return stringify(a) ?? S(a); } catch { return S(a); } })();
  const line = (stream) => (...a) => write(stream, a.map(fmt).join(' ') + '\\n');
  globalThis.console = Object.freeze({ log: line(1), info: line(1), debug: line(1), warn: line(2), error: line(2) });
  const save = (o) => { globalThis.__mnemoOutcome = stringify(o); };
  const cap = (t) => S(t).slice(0, 10000);
  const IE = InternalError; const interrupted = (e) => e instanceof IE && e.message === 'interrupted';
  const tooLarge = () => save({ ok: false, name: 'ResultTooLarge', message: 'tool result exceeded ' + MAX + ' bytes' });
  return Object.freeze({
    ok: (v) => {
      if (typeof v === 'string' && v.length > MAX) return tooLarge();
      let json;
      try { json = stringify(v === undefined ? null : v); } catch (e) {
        if (interrupted(e)) throw e;
        if (e === null || e instanceof IE) return tooLarge(); // out of memory (or stack) serialising the result
      }
      if (json === undefined) json = stringify(S(v));
      if (json.length > MAX) return tooLarge();
      globalThis.__mnemoResult = json; save({ ok: true });
    },
    fail: (e) => save({ ok: false, name: (e && e.name) ? cap(e.name) : 'Error',
      message: (e && e.message !== undefined) ? cap(e.message) : cap(e), stack: e && e.stack ? cap(e.stack) : '' }),
    lost: (e) => { globalThis.__mnemoOutcome = interrupted(e) ? '{"ok":false,"name":"InternalError","message":"interrupted"}'
      : '{"ok":false,"name":"InternalError","message":"out of memory while returning the result"}'; },
  });
})();
`;
}
