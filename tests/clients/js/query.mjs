// Run one query with Comunica against a SPARQL endpoint and print the answer as JSON.
// Usage: node query.mjs ENDPOINT bindings|boolean|quads QUERY
import { QueryEngine } from "@comunica/query-sparql";

const [endpoint, kind, query] = process.argv.slice(2);
const engine = new QueryEngine();
const context = { sources: [{ type: "sparql", value: endpoint }] };

const term = (t) => ({ termType: t.termType, value: t.value,
  language: t.language || undefined, datatype: t.datatype ? t.datatype.value : undefined });

let answer;
if (kind === "bindings") {
  const rows = await (await engine.queryBindings(query, context)).toArray();
  answer = rows.map((row) => Object.fromEntries([...row].map(([v, t]) => [v.value, term(t)])));
} else if (kind === "boolean") {
  answer = await engine.queryBoolean(query, context);
} else if (kind === "quads") {
  const quads = await (await engine.queryQuads(query, context)).toArray();
  answer = quads.map((q) => [term(q.subject), term(q.predicate), term(q.object)]);
} else {
  throw new Error(`unknown kind ${kind}`);
}
process.stdout.write(JSON.stringify(answer));
