// The official ONNX checker (Debian python3-onnx): onnx.checker.check_model(full_check=True).
import { execFileSync, spawnSync } from 'node:child_process';

/** Debian's python3-onnx 1.12 knows opsets up to 17; newer-opset models are checked by onnxruntime only. */
export const CHECKER_MAX_OPSET = 17;

const CANDIDATES = [process.env.NETSPEC_PYTHON, 'python3', '/usr/bin/python3'].filter(
  (p): p is string => !!p,
);

const SCRIPT = `
import json, sys, onnx
result = {}
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(path, full_check=True)
        result[path] = None
    except Exception as e:
        result[path] = str(e)
print(json.dumps(result))
`;

/** A python that can `import onnx` (pyenv shims may hide Debian's), or an error saying how to get one. */
export function onnxPython(): string {
  for (const python of CANDIDATES) {
    if (spawnSync(python, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0) return python;
  }
  throw new Error(
    `the ONNX checker needs python3 with the onnx module (tried ${CANDIDATES.join(', ')}): apt-get install -y python3-onnx`,
  );
}

/** `onnx.checker.check_model(path, full_check=True)` for each file: path -> error or null. */
export function checkModels(paths: string[]): Record<string, string | null> {
  const out = execFileSync(onnxPython(), ['-c', SCRIPT, ...paths], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, string | null>;
}
