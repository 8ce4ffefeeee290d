// The search index at scale: its size beside the HTML, and the time of a
// query as static/search.js runs it (tokenize, read the shards, decode and
// intersect the postings), on a built site.
// usage: node bench/search_bench.mjs OUT [QUERY...]
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const search = require("../themes/default/static/search.js");
const out = process.argv[2];
const queries = process.argv.slice(3).length ? process.argv.slice(3)
  : ["培训", "送教下乡", "大单元教学设计", "工作室 课例", "信息技术应用能力", "项目"];

function du(dir, filter) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += du(p, filter);
    else if (filter(p)) total += statSync(p).size;
  }
  return total;
}
const html = du(out, (p) => p.endsWith(".html") && !p.includes("/search/"));
const index = du(join(out, "search"), (p) => p.endsWith(".json"));
const meta = JSON.parse(readFileSync(join(out, "search/meta.json"), "utf8"));
console.log(`records=${meta.docs} shards=${meta.shards} html=${html} index=${index} ` +
  `ratio=${(100 * index / html).toFixed(1)}%`);
for (const q of queries) {
  const t0 = process.hrtime.bigint();
  let fetched = 0, ids = null;
  const cache = {};
  for (const tok of search.tokenize(q)) {
    const n = search.hash(tok) % meta.shards;
    if (!cache[n]) {
      const text = readFileSync(join(out, `search/t/${n}.json`), "utf8");
      fetched += Buffer.byteLength(text);
      cache[n] = JSON.parse(text);
    }
    const list = search.decode(cache[n][tok]);
    ids = ids ? search.intersect(ids, list) : list;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`query=${q} results=${ids ? ids.length : 0} fetched=${fetched} B time=${ms.toFixed(1)} ms`);
}
