// Runs a JavaScript/TypeScript tool in a fresh QuickJS WASM instance: no process, require, fs or network; memory
// capped by the instance's linear-memory maximum, wall-clock enforced by the interrupt handler.
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSContext, type QuickJSRuntime } from 'quickjs-emscripten';
import { buildScript, ToolInputError } from './js-script.js';
import {
  errorResult,
  MAX_CAPTURED_CHARS,
  MAX_RESULT_BYTES,
  resultTooLarge,
  type ParsedSandboxRequest,
  type SandboxResult,
} from './types.js';

type Capture = { out: string; err: string };

// The project's lib settings carry no WebAssembly value types; this is the one constructor we need.
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => object } })
  .WebAssembly.Memory;
const WASM_PAGE = 64 * 1024;
const INITIAL_PAGES = 256; // the build's INITIAL_MEMORY (16 MB)
const MAX_PAGES = 32768; // the build's own ceiling (2 GB)

/**
 * Each call gets its own WASM module whose linear memory has a hard maximum: slower than a runtime in a shared module,
 * but this build's `setMemoryLimit` counts allocations, not bytes, so only a fresh module bounds memory.
 */
async function newIsolatedModule(memoryLimitMb: number) {
  const maximum = Math.min(MAX_PAGES, INITIAL_PAGES + Math.ceil((memoryLimitMb * 1024 * 1024) / WASM_PAGE));
  const wasmMemory = new WasmMemory({ initial: INITIAL_PAGES, maximum });
  return newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: wasmMemory as never }));
}

export async function runJavaScript(req: ParsedSandboxRequest): Promise<SandboxResult> {
  const startedAt = Date.now();
  let script: string;
  try {
    script = await buildScript(req);
  } catch (err) {
    if (err instanceof ToolInputError) return errorResult({ name: err.errorName, message: err.message }, startedAt);
    throw err;
  }
  const runtime = (await newIsolatedModule(req.memoryLimitMb)).newRuntime();
  const deadline = Date.now() + req.timeoutMs;
  runtime.setMemoryLimit(req.memoryLimitMb * 1024 * 1024);
  runtime.setMaxStackSize(1024 * 1024);
  runtime.setInterruptHandler(() => Date.now() > deadline);
  const capture: Capture = { out: '', err: '' };
  const vm = runtime.newContext();
  let result: SandboxResult;
  try {
    installWrite(vm, capture);
    result = toResult(evaluate(vm, runtime, script, deadline), capture, req, startedAt);
  } catch (err) {
    result = errorResult({ name: 'InternalError', message: String(err) }, startedAt);
  }
  // After an out-of-memory QuickJS aborts while freeing; the whole instance is garbage anyway, so skip the free.
  if (result.error?.name !== 'MemoryError') disposeQuietly(vm, runtime);
  return result;
}

function disposeQuietly(vm: QuickJSContext, runtime: QuickJSRuntime): void {
  try {
    vm.dispose();
    runtime.dispose();
  } catch {
    // QuickJS may abort while freeing a runtime that ran out of memory; nothing else shares this module.
  }
}

function installWrite(vm: QuickJSContext, capture: Capture): void {
  const fn = vm.newFunction('__mnemoWrite', (streamH, textH) => {
    const key = vm.getNumber(streamH) === 2 ? 'err' : 'out';
    const room = MAX_CAPTURED_CHARS - capture[key].length;
    if (room > 0) capture[key] += vm.getString(textH).slice(0, room);
  });
  vm.setProp(vm.global, '__mnemoWrite', fn);
  fn.dispose();
}

type Outcome = { ok: true; json: string } | { ok: false; name: string; message: string; stack?: string };

/** Evaluates the script, then drives the job queue until the tool's promise has settled. */
function evaluate(vm: QuickJSContext, runtime: QuickJSRuntime, script: string, deadline: number): Outcome {
  const evaluated = vm.evalCode(script, 'tool.js');
  if (evaluated.error) return failure(vm, evaluated.error);
  evaluated.value.dispose();
  for (;;) {
    const settled = readOutcome(vm);
    if (settled) return settled;
    const jobs = runtime.executePendingJobs();
    if (jobs.error) return failure(vm, jobs.error);
    if (jobs.value === 0) {
      const late = readOutcome(vm);
      if (late) return late;
      const timedOut = Date.now() > deadline;
      return {
        ok: false,
        name: timedOut ? 'InternalError' : 'Error',
        message: timedOut ? 'interrupted' : 'the tool returned a promise that never settled (timers and I/O are not available)',
      };
    }
  }
}

function readOutcome(vm: QuickJSContext): Outcome | undefined {
  const outcome = readString(vm, '__mnemoOutcome');
  if (outcome === undefined) return undefined;
  const o = JSON.parse(outcome) as { ok: true } | Extract<Outcome, { ok: false }>;
  if (!o.ok) return o;
  const json = readString(vm, '__mnemoResult') ?? 'null';
  if (Buffer.byteLength(json) > MAX_RESULT_BYTES) return { ok: false, ...resultTooLarge() };
  return { ok: true, json };
}

function readString(vm: QuickJSContext, name: string): string | undefined {
  const h = vm.getProp(vm.global, name);
  try {
    return vm.typeof(h) === 'string' ? vm.getString(h) : undefined;
  } finally {
    h.dispose();
  }
}

function failure(vm: QuickJSContext, errHandle: { dispose(): void }): Outcome {
  try {
    const e = vm.dump(errHandle as never) as { name?: string; message?: string; stack?: string } | string | null;
    // QuickJS throws null when it cannot even allocate the out-of-memory error object.
    if (e === null || e === undefined) return { ok: false, name: 'InternalError', message: 'out of memory' };
    if (typeof e === 'object') return { ok: false, name: String(e.name ?? 'Error'), message: String(e.message ?? ''), stack: e.stack };
    return { ok: false, name: 'Error', message: String(e) };
  } catch {
    return { ok: false, name: 'InternalError', message: 'out of memory' };
  } finally {
    errHandle.dispose();
  }
}

function toResult(o: Outcome, capture: Capture, req: ParsedSandboxRequest, startedAt: number): SandboxResult {
  const stdout = capture.out ? [capture.out] : [];
  const stderr = capture.err ? [capture.err] : [];
  if (o.ok) return { status: 'success', funcReturn: JSON.parse(o.json), stdout, stderr, durationMs: Date.now() - startedAt };
  let error = { name: o.name, message: o.message };
  if (o.name === 'InternalError' && /interrupted/.test(o.message)) {
    error = { name: 'TimeoutError', message: `Executing tool ${req.functionName} timed out after ${req.timeoutMs / 1000} seconds.` };
  } else if (/out of memory/i.test(o.message)) {
    error = { name: 'MemoryError', message: `tool ${req.functionName} exceeded its memory limit of ${req.memoryLimitMb} MB` };
  }
  if (o.stack) stderr.push(`${o.name}: ${o.message}\n${o.stack}`);
  return errorResult(error, startedAt, { stdout, stderr });
}
