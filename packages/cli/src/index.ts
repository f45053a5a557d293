export { buildProgram, main } from './program.js';
export { summaryJson, summaryTable } from './summary-table.js';
