// Layers of src/, lowest first. A module may import its own layer or any lower one, never a higher one, and no
// import cycles at all (type-only imports count: they couple the code just the same).
//
//   0 base       text/ ids errors version logger log-progress actor http/loopback-host secrets/
//   1 edge       net/ (outbound policy, guarded fetch), llm/ (providers, embeddings)
//   2 config     config.ts
//   3 db         db/ (client, migrations, schema, row types)
//   4 runtime    sandbox/ mcp/ jobs/ (the durable job queue)
//   5 memory     memory/ tools/ (archival and recall memory, tool definitions and executors)
//   6 agent      agent/ (the turn loop, context compiler, compaction)
//   7 resources  resources/*/ services, repositories, mappers, wire schemas; http/ helpers (pagination, query, sse)
//   8 turns      multi-agent/ sleeptime/ turns/ memfs/ (who starts turns, how their events reach a client; git memory)
//   9 http       http/ server, auth, guards; every *.routes.ts; console/; services.ts (the routes' argument)
//  10 root       context.ts cache-sizes.ts app.ts main.ts startup-banner.ts db/migrate-cli.ts startup/ (composition, entry points, start-up checks)
const layers = [
  ['base', '^src/(text/|secrets/|ids\\.ts|errors\\.ts|version\\.ts|logger\\.ts|log-progress\\.ts|actor\\.ts|http/loopback-host\\.ts)'],
  ['edge', '^src/(net|llm)/'],
  ['config', '^src/config\\.ts'],
  ['db', '^src/db/(?!migrate-cli\\.ts)'],
  ['runtime', '^src/(sandbox|mcp|jobs)/'],
  ['memory', '^src/(memory|tools)/'],
  ['agent', '^src/agent/'],
  ['resources', '^src/resources/(?!.*\\.routes\\.ts$)|^src/http/(pagination|query|actor|sse)\\.ts'],
  ['turns', '^src/(multi-agent|sleeptime)/|^src/(turns|memfs)/(?!.*\\.routes\\.ts$)'],
  ['http', '^src/http/|^src/console/|^src/(resources|turns|memfs)/.*\\.routes\\.ts$|^src/services\\.ts$'],
  ['root', '^src/(context|cache-sizes|app|main|startup-banner)\.ts|^src/db/migrate-cli\.ts|^src/startup/'],
];

const either = (from) => `(${from.map(([, p]) => p).join(')|(')})`;

/** One rule per layer: nothing in it may import a module of any higher layer. */
const upward = layers.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}-points-down`,
  comment: `${name} may import only its own layer or lower ones (${layers.slice(0, i + 1).map(([n]) => n).join(', ')})`,
  severity: 'error',
  from: { path },
  to: { path: either(layers.slice(i + 1)), pathNot: either(layers.slice(0, i + 1)) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles, type-only ones included', from: {}, to: { circular: true } },
    {
      name: 'no-unlayered',
      severity: 'error',
      comment: 'every module under src/ belongs to a layer: add it to the list in .dependency-cruiser.cjs',
      from: { path: '^src/', pathNot: [either(layers), '\\.test\\.ts$'] },
      to: {},
    },
    ...upward,
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'production code does not import test code',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^test/)|\\.test\\.ts$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|__snapshots__' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
