import { describe, expect, it } from 'vitest';
import { cpuNodes, parsePlacement } from './placement.js';

// Verbatim from Chromium 150's console, onnxruntime-web 1.30, the zoo's lstm-classifier on WebGPU.
const LSTM_LOG = [
  '2026-11-23 19:29:12.247778 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements',
  '2026-11-23 19:29:12.248643 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1',
  '2026-11-23 19:29:12.249184 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   LSTM (bilstm/LSTM)',
  '2026-11-23 19:29:12.249669 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [JsExecutionProvider]. Number of nodes: 3',
  '2026-11-23 19:29:12.250089 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Gather (embedding)',
  '2026-11-23 19:29:12.252873 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Softmax (probs)',
  '2026-11-23 19:29:12.253279 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   MemcpyFromHost (Memcpy)',
  '\u001b[0;93m2026-11-23 19:29:12.254139 [W:onnxruntime:, session_state.cc:1397 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers which may or may not have an negative impact on performance. e.g. ORT explicitly assigns shape related ops to CPU to improve perf.\u001b[m',
  '2026-11-23 19:29:12.278944 [V:onnxruntime:, session_state.cc:186 CreateGraphInfo] SaveMLValueNameIndexMapping',
];

describe('parsePlacement', () => {
  it('reads each provider and its nodes', () => {
    const placement = parsePlacement(LSTM_LOG);
    expect(placement).toEqual([
      {
        executionProvider: 'CPUExecutionProvider',
        count: 1,
        nodes: [{ op: 'LSTM', name: 'bilstm/LSTM' }],
      },
      {
        executionProvider: 'JsExecutionProvider',
        count: 3,
        nodes: [
          { op: 'Gather', name: 'embedding' },
          { op: 'Softmax', name: 'probs' },
          { op: 'MemcpyFromHost', name: 'Memcpy' },
        ],
      },
    ]);
    expect(cpuNodes(placement)).toEqual([{ op: 'LSTM', name: 'bilstm/LSTM' }]);
  });

  it('reads "All nodes placed" and ignores other lines', () => {
    const all = parsePlacement([
      'noise',
      '[V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [CPUExecutionProvider]. Number of nodes: 11',
    ]);
    expect(all).toEqual([{ executionProvider: 'CPUExecutionProvider', count: 11, nodes: [] }]);
    // A wasm session: everything is on the CPU, and nothing "fell back".
    expect(cpuNodes(all)).toEqual([]);
    expect(parsePlacement([])).toEqual([]);
  });
});
