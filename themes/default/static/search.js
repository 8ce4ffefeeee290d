/*
 * The site's search, run in the visitor's browser from the static index
 * that showcase writes under search/ (generator/search.h describes it):
 * no service, no outside request. Queries are tokenized exactly as the
 * index was: CJK text into overlapping character pairs, Latin letters and
 * digits into lowercased words; a record matches when it has every token.
 * The page works without this script: it then links each section's list.
 */
(function () {
  "use strict";

  function isCJK(cp) {
    return (cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x3FFFD);
  }
  function isWord(cp) {
    return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) ||
      (cp >= 65 && cp <= 90) || (cp >= 0xC0 && cp <= 0x24F && cp !== 0xD7 && cp !== 0xF7);
  }
  /* As search_tokenize() in generator/search.c. */
  function tokenize(text) {
    var out = [], prev = null, run = 0, word = "";
    var chars = Array.from(text);
    chars.push("");
    chars.forEach(function (ch) {
      var cp = ch ? ch.codePointAt(0) : 0;
      if (ch && isCJK(cp)) {
        if (run) out.push(prev + ch);
        prev = ch;
        run++;
      } else {
        if (run === 1) out.push(prev);
        run = 0;
      }
      if (ch && isWord(cp)) {
        word += ch.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
      } else if (word) {
        out.push(cutWord(word));
        word = "";
      }
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }
  /* Words are cut at 32 bytes of UTF-8, as in the index. */
  function cutWord(w) {
    var enc = new TextEncoder(), out = "";
    Array.from(w).forEach(function (ch) {
      if (enc.encode(out + ch).length <= 32) out += ch;
    });
    return out;
  }
  function hash(tok) {
    var bytes = new TextEncoder().encode(tok), h = 2166136261;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h >>> 0;
  }
  function decode(deltas) {
    var ids = [], last = 0;
    for (var i = 0; i < (deltas || []).length; i++) ids.push(last += deltas[i]);
    return ids;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }
  /* Node (tests/browser, bench/search_bench.mjs) takes the pure part. */
  if (typeof module === "object" && module.exports) {
    module.exports = { tokenize: tokenize, hash: hash, decode: decode,
                       intersect: intersect };
    return;
  }

  var page = document.querySelector(".search-page");
  if (!page || !window.fetch || !window.TextEncoder) return;
  var base = page.getAttribute("data-index");
  var form = page.querySelector(".search-form");
  var input = form.querySelector("input[name=q]");
  var selC = form.querySelector("select[name=c]");
  var selY = form.querySelector("select[name=y]");
  var status = page.querySelector(".search-status");
  var list = page.querySelector(".search-results");
  var meta = null, shards = {}, chunks = {};
  var PAGE = 20;

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function shard(n) {
    if (!shards[n]) shards[n] = getJSON(base + "t/" + n + ".json");
    return shards[n];
  }
  function chunk(n) {
    if (!chunks[n]) chunks[n] = getJSON(base + "d/" + n + ".json");
    return chunks[n];
  }
  function postings(tok) {
    return shard(hash(tok) % meta.shards).then(function (s) {
      return decode(s[tok]);
    });
  }
  function option(sel, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    sel.appendChild(o);
  }
  /* Text with every occurrence of the query's terms in <mark>. */
  function highlight(el, text, terms) {
    var i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var k = text.toLowerCase().indexOf(t, i);
        if (k >= 0 && (best < 0 || k < best)) { best = k; len = t.length; }
      });
      if (best < 0) break;
      el.appendChild(document.createTextNode(text.slice(i, best)));
      var m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      el.appendChild(m);
      i = best + len;
    }
    el.appendChild(document.createTextNode(text.slice(i)));
  }
  /* The query's terms as the visitor typed them: runs of CJK characters
   * and Latin words, for highlighting. */
  function terms(q) {
    return q.toLowerCase().split(/[\s,.;:!?，。、；：！？“”"'（）()《》]+/)
      .filter(function (t) { return t.length > 0; });
  }

  var shown = 0, results = [], query = "";
  function render(more) {
    if (!more) { list.textContent = ""; shown = 0; }
    var slice = results.slice(shown, shown + PAGE);
    var need = {};
    slice.forEach(function (id) { need[Math.floor(id / meta.chunk)] = 1; });
    return Promise.all(Object.keys(need).map(function (n) {
      return chunk(n).then(function (docs) { return [n, docs]; });
    })).then(function (got) {
      var byChunk = {};
      got.forEach(function (g) { byChunk[g[0]] = g[1]; });
      var t = terms(query), labels = {};
      meta.collections.forEach(function (c) { labels[c[0]] = c[1]; });
      slice.forEach(function (id) {
        var d = byChunk[Math.floor(id / meta.chunk)][id % meta.chunk];
        var li = document.createElement("li"), h = document.createElement("h2");
        var a = document.createElement("a"), p = document.createElement("p");
        var info = document.createElement("p");
        a.href = d[0];
        highlight(a, d[1], t);
        h.appendChild(a);
        info.className = "search-meta";
        info.textContent = (labels[d[2]] || "") + (d[3] ? " · " + d[3] : "");
        p.className = "search-snippet";
        highlight(p, d[4], t);
        li.appendChild(h);
        li.appendChild(info);
        if (d[4]) li.appendChild(p);
        list.appendChild(li);
      });
      shown += slice.length;
      var btn = page.querySelector(".search-more");
      if (btn) btn.remove();
      if (shown < results.length) {
        btn = document.createElement("button");
        btn.type = "button";
        btn.className = "search-more";
        btn.textContent = "+" + Math.min(PAGE, results.length - shown);
        btn.addEventListener("click", function () { render(true); });
        list.after(btn);
      }
    });
  }
  function run() {
    query = input.value.trim();
    var toks = tokenize(query);
    var c = selC.value, y = selY.value;
    if (!toks.length) { status.textContent = ""; list.textContent = ""; return; }
    status.textContent = status.getAttribute("data-loading");
    Promise.all(toks.map(postings)).then(function (lists) {
      var ids = lists.reduce(intersect);
      results = ids.filter(function (id) {
        return (!c || meta.c[id] === c) && (!y || meta.y[id] === y);
      });
      status.textContent = results.length
        ? results.length + " " + status.getAttribute("data-results")
        : status.getAttribute("data-none");
      return render(false);
    }).catch(function (e) { status.textContent = String(e.message || e); });
  }

  getJSON(base + "meta.json").then(function (m) {
    meta = m;
    meta.collections.forEach(function (col, i) {
      option(selC, String.fromCharCode(97 + i), col[1]);
    });
    meta.years.forEach(function (yr, i) {
      option(selY, String.fromCharCode(97 + i), String(yr));
    });
    form.querySelector(".search-filters").hidden = false;
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (params.get("c")) selC.value = params.get("c");
    if (params.get("y")) selY.value = params.get("y");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var u = new URLSearchParams();
      if (input.value.trim()) u.set("q", input.value.trim());
      if (selC.value) u.set("c", selC.value);
      if (selY.value) u.set("y", selY.value);
      history.replaceState(null, "", "?" + u.toString());
      run();
    });
    selC.addEventListener("change", run);
    selY.addEventListener("change", run);
    run();
  }).catch(function (e) { status.textContent = String(e.message || e); });
})();
