// The table benchmark's server: `lsky serve --config scripts/bench/table/lsky.config.ts --workers 2`.
export default {
  entry: "app.ts",
  tables: { bench: { size: 1024, columns: { n: "int", name: "string:32" } } },
};
