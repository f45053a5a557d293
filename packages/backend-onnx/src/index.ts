// Filled in by its own issue; see ../../../shared/DESIGN.md.
export {};
