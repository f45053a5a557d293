// ModelRunner lives in @netspec/spec (types only) so every engine shares it.
export type { ModelRunner, RunnerTensor } from '@netspec/spec';
