// onnxruntime-web's wasm build prints its C++ log through the console (console.error for every
// severity), through functions it binds once when the wasm module starts. Reading node placement
// means putting a listener on the console before that, and keeping it there.

const ORT_LINE = /\[[VIWEF]:onnxruntime:/;
const ORT_QUIET = /\[[VI]:onnxruntime:/;
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

const listeners = new Set<(line: string) => void>();
let installed = false;

/** Wraps the console once: onnxruntime lines go to listeners; verbose/info ones stop there. */
function install(): void {
  if (installed) return;
  installed = true;
  for (const method of METHODS) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      if (!ORT_LINE.test(line)) return original.apply(console, args);
      for (const listen of listeners) listen(line);
      // Warnings and errors still reach the user; a verbose session log (hundreds of lines) not.
      if (!ORT_QUIET.test(line)) original.apply(console, args);
    };
  }
}

/**
 * Runs `work` and returns every console line onnxruntime printed meanwhile. Call it before
 * onnxruntime-web starts its wasm module (the first session), or its log never reaches here.
 */
export async function captureLogs<T>(
  work: () => Promise<T>,
): Promise<{ result: T; lines: string[] }> {
  install();
  const lines: string[] = [];
  const listen = (line: string) => lines.push(line);
  listeners.add(listen);
  try {
    return { result: await work(), lines };
  } finally {
    listeners.delete(listen);
  }
}
