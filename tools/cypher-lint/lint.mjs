#!/usr/bin/env node
// Lints the repository's .cypher files with Neo4j's own Cypher front-end
// (@neo4j-cypher/language-support, the parser and semantic analysis of Neo4j compiled to JS).
//
//   node tools/cypher-lint/lint.mjs [--quiet] [PATH ...]     (default PATH: the repo's cypher/)
//
// Each PATH is a .cypher file or a folder searched recursively for *.cypher.
// Prints one line a problem, `path:line:col: severity: message`, then a summary line.
// Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 the linter could not run.
//
// What is checked, per file:
//   - syntax and semantics as Neo4j 5 (Cypher 5) would judge them: errors fail the run;
//     the front-end's warnings (unknown label, cartesian product, unbounded shortestPath, ...) are reported only;
//   - every `$param` must be declared in the `//` header (`// param ids: list<string>`): the front-end reports an
//     undeclared parameter as an error by itself; a declared parameter the text never uses is a warning;
//   - functions and procedures must be Neo4j built-ins (so no APOC, GDS or FalkorDB-only `algo.*`/`db.idx.*`);
//   - one statement a file: the query loader sends a file as one query, and neither Neo4j nor FalkorDB runs two.
// A file whose header says `// dialect: falkordb` holds FalkorDB-only Cypher (it belongs to that backend's adapter):
// it is not linted as Neo4j Cypher, and the run says so in a warning.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const PACKAGE = '@neo4j-cypher/language-support';

// The graph's vocabulary (spec/domain.md and the store's own bookkeeping nodes).
const LABELS = [
  'Service', 'BusinessOutcome', 'Customer', 'CostItem', 'Budget', 'BusinessCase', 'RelationshipManager',
  'SatisfactionSurvey', 'Complaint', 'Meta', 'AuditEntry', 'ChargeStatement',
];
const RELATIONSHIP_TYPES = [
  'DEPENDS_ON', 'ENABLES', 'SUBSCRIBES', 'PURSUES', 'ALLOCATED_TO', 'FOR', 'JUSTIFIES', 'MANAGES', 'OF',
  'RAISED_BY', 'ABOUT', 'CONCERNS', 'HAS_LINE',
];
// Procedures of Neo4j itself; the package's catalogue also holds APOC and GDS, which a plain Neo4j lacks.
const BUILT_IN_PROCEDURE_PREFIXES = ['db.', 'dbms.', 'tx.'];
const CYPHER_VERSION = 'CYPHER 5'; // neo4j:5 speaks Cypher 5 (see docker-compose.yml)

const USAGE = `usage: node tools/cypher-lint/lint.mjs [--quiet] [PATH ...]
  PATH     a .cypher file or a folder searched recursively (default: ${relative(process.cwd(), join(REPO, 'cypher')) || '.'})
  --quiet  print errors only (warnings are still counted in the summary)`;

class LintSetupError extends Error {}

async function loadFrontEnd() {
  try {
    const mod = await import(PACKAGE);
    if (typeof mod.lintCypherQuery !== 'function') {
      throw new Error(`it has no lintCypherQuery export (found: ${Object.keys(mod).sort().join(', ')})`);
    }
    return mod;
  } catch (e) {
    const reason = e?.code === 'ERR_MODULE_NOT_FOUND' ? 'it is not installed' : (e?.message ?? String(e));
    throw new LintSetupError(
      `cannot load ${PACKAGE}: ${reason}\n` +
        `  install it with: npm ci --prefix ${relative(process.cwd(), HERE) || '.'}`,
    );
  }
}

// Built-in functions and procedures, taken from the catalogue the package ships with its Neo4j front-end.
function builtInRegistry(frontEnd) {
  const catalogue = frontEnd.testData?.mockSchema;
  if (!catalogue?.functions || !catalogue?.procedures) {
    return {}; // no catalogue in this version: functions and procedures go unchecked rather than all failing
  }
  const keep = (registry, wanted) =>
    Object.fromEntries(
      Object.entries(registry).map(([version, entries]) => [
        version,
        Object.fromEntries(Object.entries(entries).filter(([name, entry]) => wanted(name, entry))),
      ]),
    );
  return {
    functions: keep(catalogue.functions, (_name, fn) => fn.isBuiltIn === true),
    procedures: keep(catalogue.procedures, (name) => BUILT_IN_PROCEDURE_PREFIXES.some((p) => name.startsWith(p))),
  };
}

// The leading block of `//` comment lines: `// name: x`, `// returns: many`, `// param ids: list<string>`.
function parseHeader(text) {
  const header = { params: new Map(), dialect: null, lines: new Map() };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (!line.startsWith('//')) break;
    const param = /^\/\/\s*param\s+\$?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(line);
    if (param) {
      header.params.set(param[1], param[2].trim() || 'any');
      header.lines.set(param[1], i);
      continue;
    }
    const dialect = /^\/\/\s*dialect\s*:\s*(\S+)/i.exec(line);
    if (dialect) header.dialect = dialect[1].toLowerCase();
  }
  return header;
}

function findCypherFiles(target, out) {
  let st;
  try {
    st = statSync(target);
  } catch {
    throw new LintSetupError(`no such file or folder: ${target}`);
  }
  if (st.isFile()) {
    out.push(target);
    return;
  }
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(target, entry.name);
    if (entry.isDirectory()) findCypherFiles(path, out);
    else if (entry.isFile() && entry.name.endsWith('.cypher')) out.push(path);
  }
}

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function problem(line, col, severity, message) {
  return { line: Math.max(line, 0) + 1, col: Math.max(col, 0) + 1, severity, message };
}

function lintText(frontEnd, text, baseSchema) {
  const header = parseHeader(text);
  if (header.dialect && header.dialect !== 'neo4j' && header.dialect !== 'both') {
    return [problem(0, 0, 'warning', `not linted: the header says "dialect: ${header.dialect}" (Neo4j lints only neo4j or both)`)];
  }
  if (text.trim() === '') return [problem(0, 0, 'error', 'empty file: a query file holds exactly one statement')];
  const schema = { ...baseSchema, parameters: Object.fromEntries(header.params) };
  const { diagnostics } = frontEnd.lintCypherQuery(text, schema, { consoleCommandsEnabled: false });
  const problems = diagnostics.map((d) =>
    problem(d.range.start.line, d.range.start.character, SEVERITY[d.severity] ?? 'error', d.message),
  );

  const statements = frontEnd.parseStatementsStrs(text).filter((s) => s.trim() !== ';');
  if (statements.length > 1) {
    const found = text.indexOf(statements[1], statements[0].length);
    const at = found < 0 ? 0 : found + (statements[1].length - statements[1].trimStart().length);
    const before = text.slice(0, at).split('\n');
    problems.push(problem(before.length - 1, before.at(-1).length, 'error',
      `${statements.length} statements in one file; a query file holds exactly one statement`));
  }

  const used = new Set(frontEnd.parseParameters(text, false).map((p) => p.replace(/^`|`$/g, '')));
  for (const [name, line] of header.lines) {
    if (!used.has(name)) problems.push(problem(line, 0, 'warning', `param ${name} is declared in the header but $${name} is never used`));
  }
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

async function main(argv) {
  const args = argv.filter((a) => !a.startsWith('-'));
  const flags = new Set(argv.filter((a) => a.startsWith('-')));
  if (flags.has('-h') || flags.has('--help')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = [...flags].filter((f) => f !== '--quiet' && f !== '-q');
  if (unknown.length) throw new LintSetupError(`unknown option ${unknown.join(', ')}\n${USAGE}`);
  const quiet = flags.has('--quiet') || flags.has('-q');

  const targets = args.length ? args : [relative(process.cwd(), join(REPO, 'cypher')) || '.'];
  const files = [];
  for (const target of targets) findCypherFiles(target, files);

  const frontEnd = await loadFrontEnd();
  const baseSchema = {
    labels: LABELS,
    relationshipTypes: RELATIONSHIP_TYPES,
    defaultLanguage: CYPHER_VERSION,
    ...builtInRegistry(frontEnd),
  };

  let errors = 0;
  let warnings = 0;
  let failedFiles = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new LintSetupError(`cannot read ${file}: ${e.message}`);
    }
    const problems = lintText(frontEnd, text, baseSchema);
    let fileErrors = 0;
    for (const p of problems) {
      if (p.severity === 'error') fileErrors++;
      else warnings++;
      if (quiet && p.severity !== 'error') continue;
      console.log(`${file}:${p.line}:${p.col}: ${p.severity}: ${p.message.replace(/\s*\n\s*/g, ' ')}`);
    }
    errors += fileErrors;
    if (fileErrors) failedFiles++;
  }
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.log(
    `cypher-lint: ${plural(files.length, 'file')} checked, ${plural(errors, 'error')}` +
      `${failedFiles ? ` in ${plural(failedFiles, 'file')}` : ''}, ${plural(warnings, 'warning')}`,
  );
  return errors ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof LintSetupError) console.error(`cypher-lint: ${e.message}`);
    else console.error(`cypher-lint: internal error: ${e?.stack ?? e}`);
    process.exitCode = 2;
  },
);
