/* factx report: draws the documents with their figures highlighted, the records table, the filters and
   the search from the JSON in #data. Vanilla JS, no network. Each highlight links to its row (#r-N)
   and each row to its highlight (#f-N); a click on either selects the record and shows it above the table. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("data").textContent);
  var docs = DATA.docs;
  var recs = DATA.records;
  var contextKeys = DATA.context || [];
  var KNOWN = { money: 1, count: 1, percent: 1, percentage_point: 1, multiple: 1, measure: 1 };
  var PAGE = 500; // table rows drawn at once
  var state = { off: {}, doc: "all", q: "", page: 0, sel: -1 };
  var drawn = []; // per document: its text has been drawn
  var marks = new Array(recs.length); // per record: its highlight, once drawn
  var sections = [];
  var shown = []; // indexes of the records that pass the filters
  var posInShown = null;
  var haystacks = new Array(recs.length);

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function kindClass(k) { return "k-" + (KNOWN[k] ? k : "other"); }
  function kindLabel(k) { return (k || "other").replace(/_/g, " "); }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function baseName(p) { var i = p.lastIndexOf("/"); return i >= 0 ? p.slice(i + 1) : p; }

  // --- documents ---------------------------------------------------------------------------------

  function figureLink(i, text) {
    var r = recs[i];
    var a = el("a", "fig " + kindClass(r.k), text);
    a.id = "f-" + i;
    a.href = "#r-" + i;
    a.dataset.i = i;
    a.title = r.v + " " + r.u + " · " + kindLabel(r.k);
    marks[i] = a;
    return a;
  }

  function drawParts(parts, into) {
    var frag = document.createDocumentFragment();
    for (var j = 0; j < parts.length; j++) {
      var p = parts[j];
      if (typeof p === "string") frag.appendChild(document.createTextNode(p));
      else if (p[0] === "gap") frag.appendChild(el("span", "gap", "⋯ " + fmt(p[1]) + " characters without figures ⋯"));
      else frag.appendChild(figureLink(p[0], p[1]));
    }
    into.appendChild(frag);
  }

  function drawDoc(d) {
    if (drawn[d]) return;
    drawn[d] = true;
    var doc = docs[d];
    var sec = sections[d];
    if (doc.parts.length) drawParts(doc.parts, sec.querySelector(".text"));
    else sec.querySelector(".text").remove();
    if (doc.elsewhere.length) {
      var box = el("div", "elsewhere");
      box.appendChild(el("h3", null, doc.status === "gone"
        ? "Figures, in the sentences the run recorded"
        : "Not found in the current file (their sentence is gone), as the run recorded them"));
      for (var j = 0; j < doc.elsewhere.length; j++) {
        var para = el("p");
        drawParts(doc.elsewhere[j], para);
        box.appendChild(para);
      }
      sec.appendChild(box);
    }
    refreshMarks();
  }

  function openDoc(d, open) {
    var sec = sections[d];
    if (open) { drawDoc(d); sec.classList.remove("closed"); }
    else sec.classList.add("closed");
  }

  function buildDocs() {
    var counts = new Array(docs.length).fill(0);
    for (var i = 0; i < recs.length; i++) counts[recs[i].d]++;
    var box = $("docs");
    for (var d = 0; d < docs.length; d++) {
      var doc = docs[d];
      var sec = el("article", "doc");
      sec.id = "d-" + d;
      var head = el("header");
      head.appendChild(el("span", "caret", "▾"));
      head.appendChild(el("span", "name", doc.name));
      var badge = { verified: "verified", changed: "file changed", gone: "file gone" }[doc.status] || doc.status;
      head.appendChild(el("span", "badge " + doc.status, badge));
      var meta = doc.format + " · " + fmt(counts[d]) + " figures";
      if (doc.length) meta += " · " + fmt(doc.length) + " characters";
      head.appendChild(el("span", "meta", meta));
      head.addEventListener("click", (function (k) {
        return function () { openDoc(k, sections[k].classList.contains("closed")); };
      })(d));
      sec.appendChild(head);
      if (doc.note) sec.appendChild(el("div", "note " + doc.status, doc.note));
      sec.appendChild(el("div", "text"));
      box.appendChild(sec);
      sections.push(sec);
      drawn.push(false);
      if (DATA.collapsed && d > 0) sec.classList.add("closed");
      else drawDoc(d);
    }
    if (!docs.length) box.appendChild(el("div", "nothing", "This run has no figures."));
  }

  // --- filters -----------------------------------------------------------------------------------

  function haystack(i) {
    var h = haystacks[i];
    if (h === undefined) {
      var r = recs[i];
      var parts = [r.t, r.v, r.v.replace(/,/g, ""), r.u, r.k, kindLabel(r.k), r.s, docs[r.d].name, r.id];
      for (var j = 0; j < contextKeys.length; j++) if (r[contextKeys[j]] !== undefined) parts.push(String(r[contextKeys[j]]));
      h = haystacks[i] = parts.join("\u0001").toLowerCase();
    }
    return h;
  }

  function passesKindAndSearch(i) {
    var r = recs[i];
    if (state.off[r.k]) return false;
    return !state.q || haystack(i).indexOf(state.q) >= 0;
  }

  function passes(i) {
    return (state.doc === "all" || recs[i].d === Number(state.doc)) && passesKindAndSearch(i);
  }

  function refreshMarks() {
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i];
      if (m) m.classList.toggle("dim", !passesKindAndSearch(i));
    }
  }

  function apply(keepPage) {
    shown = [];
    posInShown = {};
    for (var i = 0; i < recs.length; i++) if (passes(i)) { posInShown[i] = shown.length; shown.push(i); }
    for (var d = 0; d < sections.length; d++) {
      var visible = state.doc === "all" || d === Number(state.doc);
      sections[d].style.display = visible ? "" : "none";
      if (visible && state.doc !== "all") openDoc(d, true);
    }
    refreshMarks();
    if (!keepPage) state.page = 0;
    drawTable();
  }

  function buildControls() {
    var select = $("docfilter");
    var all = el("option", null, "All documents (" + fmt(docs.length) + ")");
    all.value = "all";
    select.appendChild(all);
    var counts = new Array(docs.length).fill(0);
    for (var i = 0; i < recs.length; i++) counts[recs[i].d]++;
    for (var d = 0; d < docs.length; d++) {
      var o = el("option", null, baseName(docs[d].name) + " (" + counts[d] + ")");
      o.value = String(d);
      o.title = docs[d].name;
      select.appendChild(o);
    }
    select.addEventListener("change", function () { state.doc = select.value; apply(); });

    var kinds = $("kinds");
    DATA.kinds.forEach(function (kv) {
      var chip = el("button", "chip");
      chip.type = "button";
      chip.dataset.kind = kv[0];
      chip.setAttribute("aria-pressed", "true");
      chip.appendChild(el("span", "dot " + kindClass(kv[0])));
      chip.appendChild(el("span", "label", kindLabel(kv[0])));
      chip.appendChild(el("span", "n", fmt(kv[1])));
      chip.title = "Show or hide " + kindLabel(kv[0]) + " figures";
      chip.addEventListener("click", function () {
        var k = chip.dataset.kind;
        state.off[k] = !state.off[k];
        chip.classList.toggle("off", !!state.off[k]);
        chip.setAttribute("aria-pressed", state.off[k] ? "false" : "true");
        apply();
      });
      kinds.appendChild(chip);
    });

    var search = $("search");
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = search.value.trim().toLowerCase(); apply(); }, 120);
    });
    $("reset").addEventListener("click", function () {
      state.off = {};
      state.q = "";
      state.doc = "all";
      search.value = "";
      select.value = "all";
      Array.prototype.forEach.call(kinds.children, function (c) {
        c.classList.remove("off");
        c.setAttribute("aria-pressed", "true");
      });
      apply();
    });
  }

  // --- the table ---------------------------------------------------------------------------------

  function buildHead() {
    var row = $("headrow");
    var names = ["Figure", "Value", "Unit"].concat(contextKeys.map(function (k) {
      return k.charAt(0).toUpperCase() + k.slice(1);
    })).concat(["Where"]);
    names.forEach(function (n) { row.appendChild(el("th", null, n)); });
  }

  function drawTable() {
    var body = $("rows");
    body.textContent = "";
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE;
    var to = Math.min(shown.length, from + PAGE);
    var frag = document.createDocumentFragment();
    for (var n = from; n < to; n++) {
      var i = shown[n];
      var r = recs[i];
      var tr = el("tr");
      tr.id = "r-" + i;
      tr.dataset.i = i;
      if (i === state.sel) tr.className = "sel";
      var fig = el("td", "fig-cell");
      fig.appendChild(el("span", "dot " + kindClass(r.k)));
      var link = el("a", null, r.t);
      link.href = "#f-" + i;
      fig.appendChild(link);
      tr.appendChild(fig);
      tr.appendChild(el("td", "num", r.v));
      tr.appendChild(el("td", "unit", r.u));
      for (var j = 0; j < contextKeys.length; j++) tr.appendChild(el("td", "ctx", r[contextKeys[j]] || ""));
      var w = el("td", "where");
      w.appendChild(el("span", "ln", "line " + r.l));
      if (docs.length > 1) w.appendChild(el("span", "dn", baseName(docs[r.d].name)));
      w.title = docs[r.d].name + ":" + r.l + ":" + r.c;
      tr.appendChild(w);
      frag.appendChild(tr);
    }
    body.appendChild(frag);
    $("count").textContent = shown.length === recs.length
      ? fmt(recs.length) + " figures"
      : "Showing " + fmt(shown.length) + " of " + fmt(recs.length) + " figures";
    drawPager(pages, from, to);
  }

  function drawPager(pages, from, to) {
    var pager = $("pager");
    pager.textContent = "";
    if (pages <= 1) return;
    var prev = el("button", null, "‹ Prev");
    prev.type = "button";
    prev.disabled = state.page === 0;
    prev.addEventListener("click", function () { state.page--; drawTable(); });
    var next = el("button", null, "Next ›");
    next.type = "button";
    next.disabled = state.page >= pages - 1;
    next.addEventListener("click", function () { state.page++; drawTable(); });
    pager.appendChild(prev);
    pager.appendChild(el("span", null, " " + fmt(from + 1) + "–" + fmt(to) + " of " + fmt(shown.length) + " "));
    pager.appendChild(next);
  }

  // --- selecting a record ------------------------------------------------------------------------

  function detailFor(i) {
    var r = recs[i];
    var box = $("detail");
    box.className = "detail";
    box.textContent = "";
    var head = el("div", "head");
    var t = el("span", "figtext");
    t.appendChild(el("span", "dot " + kindClass(r.k)));
    t.firstChild.style.cssText = "display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:8px;vertical-align:2px";
    t.appendChild(document.createTextNode(r.t));
    head.appendChild(t);
    head.appendChild(el("span", "value", r.v + " " + r.u));
    if (r.u !== r.k) head.appendChild(el("span", "kind", kindLabel(r.k)));
    if (r.st !== "verified") head.appendChild(el("span", "kind state-" + r.st, r.st));
    box.appendChild(head);
    var dl = el("dl");
    function row(name, value, node) {
      if ((value === undefined || value === null || value === "") && !node) return;
      dl.appendChild(el("dt", null, name));
      var dd = el("dd", null, node ? null : String(value));
      if (node) dd.appendChild(node);
      dl.appendChild(dd);
    }
    var s = el("span", "sentence");
    var at = r.s.indexOf(r.t);
    if (at >= 0) {
      s.appendChild(document.createTextNode(r.s.slice(0, at)));
      s.appendChild(el("mark", null, r.t));
      s.appendChild(document.createTextNode(r.s.slice(at + r.t.length)));
    } else s.textContent = r.s;
    row("sentence", null, s);
    for (var j = 0; j < contextKeys.length; j++) row(contextKeys[j], r[contextKeys[j]]);
    var qual = [r.approx, r.change, r.classifier ? "classifier " + r.classifier : null].filter(Boolean).join(" · ");
    row("qualifiers", qual);
    row("where", docs[r.d].name + ":" + r.l + ":" + r.c + (r.page ? " (page " + r.page + ")" : ""));
    row("rule", r.r);
    row("id", r.id);
    if (posInShown[i] === undefined) row("note", "hidden from the table by the filters");
    box.appendChild(dl);
  }

  function select(i, from) {
    if (state.sel >= 0) {
      if (marks[state.sel]) marks[state.sel].classList.remove("sel");
      var old = $("r-" + state.sel);
      if (old) old.classList.remove("sel");
    }
    state.sel = i;
    var d = recs[i].d;
    // The record's document first: shown (the document filter let go of) and drawn.
    if (sections[d].style.display === "none") {
      state.doc = "all";
      $("docfilter").value = "all";
      apply(true);
    }
    if (!drawn[d] || sections[d].classList.contains("closed")) openDoc(d, true);
    var pos = posInShown[i];
    if (pos !== undefined && Math.floor(pos / PAGE) !== state.page) {
      state.page = Math.floor(pos / PAGE);
      drawTable();
    }
    var tr = $("r-" + i);
    if (tr) {
      tr.classList.add("sel");
      if (from !== "row") tr.scrollIntoView({ block: "nearest" });
    }
    var m = marks[i];
    if (m) {
      m.classList.add("sel");
      if (from !== "mark") {
        m.scrollIntoView({ block: "center" });
        m.classList.remove("flash");
        void m.offsetWidth; // restart the animation
        m.classList.add("flash");
      }
    }
    detailFor(i);
    if (history.replaceState) history.replaceState(null, "", "#f-" + i);
  }

  function wireClicks() {
    $("docs").addEventListener("click", function (ev) {
      var a = ev.target.closest("a.fig");
      if (!a) return;
      ev.preventDefault();
      select(Number(a.dataset.i), "mark");
    });
    $("rows").addEventListener("click", function (ev) {
      var tr = ev.target.closest("tr");
      if (!tr) return;
      ev.preventDefault();
      select(Number(tr.dataset.i), "row");
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT") return;
      if (ev.key !== "j" && ev.key !== "k" && ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      if (!shown.length) return;
      var pos = posInShown[state.sel];
      var down = ev.key === "j" || ev.key === "ArrowDown";
      var next = pos === undefined ? 0 : Math.max(0, Math.min(shown.length - 1, pos + (down ? 1 : -1)));
      ev.preventDefault();
      select(shown[next], "key");
    });
  }

  buildHead();
  buildControls();
  buildDocs();
  wireClicks();
  apply();
  var m = /^#[fr]-(\d+)$/.exec(location.hash);
  if (m && Number(m[1]) < recs.length) select(Number(m[1]), "row");
})();
