// Search without a server: the names in search-index.js, normalised the same way as the text a
// reader types (NFKC, lower case, accents removed), ranked whole name > whole words > start of
// a name > start of a word > anywhere; then shorter names first. index.html?q=TEXT opens with its results.
(function () {
  "use strict";
  var index = window.DKG_SEARCH_INDEX || [];
  var results = document.getElementById("results");
  var box = document.getElementById("q") || document.getElementById("site-search");
  var root = document.documentElement.getAttribute("data-root") || "";
  var LIMIT = 50;

  function norm(text) {
    return String(text).normalize("NFKC").toLowerCase().normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").normalize("NFC").replace(/\s+/g, " ").trim();
  }

  var prepared = index.map(function (entry) {
    var names = [entry[1]].concat(entry[3]);
    return { page: entry[0], title: entry[1], kind: entry[2], names: names, keys: names.map(norm) };
  });

  // 5: the whole name; 4: whole words of it; 3: its start; 2: the start of a word; 1: anywhere.
  function score(key, query) {
    if (key === query) { return 5; }
    if ((" " + key + " ").indexOf(" " + query + " ") >= 0) { return 4; }
    if (key.indexOf(query) === 0) { return 3; }
    if ((" " + key).indexOf(" " + query) >= 0) { return 2; }
    if (key.indexOf(query) >= 0) { return 1; }
    return 0;
  }

  function search(text) {
    var query = norm(text);
    if (!query) { return []; }
    var found = [];
    prepared.forEach(function (entry) {
      var best = 0, matched = entry.title;
      entry.keys.forEach(function (key, i) {
        var s = score(key, query);
        if (s > best) { best = s; matched = entry.names[i]; }
      });
      if (best > 0) { found.push({ entry: entry, score: best, matched: matched }); }
    });
    found.sort(function (a, b) {
      return b.score - a.score || a.entry.title.length - b.entry.title.length ||
        (a.entry.title < b.entry.title ? -1 : a.entry.title > b.entry.title ? 1 : 0);
    });
    return found;
  }

  function show(text) {
    if (!results) { return; }
    results.textContent = "";
    var found = search(text);
    results.setAttribute("data-count", String(found.length));
    if (!norm(text)) { return; }
    var heading = document.createElement("p");
    heading.className = "count";
    heading.textContent = found.length === 0 ? "Nothing has that name. Try part of a name, or another language."
      : found.length + (found.length === 1 ? " match" : " matches") +
        (found.length > LIMIT ? ", the first " + LIMIT + " shown" : "");
    results.appendChild(heading);
    var list = document.createElement("ol");
    list.className = "results";
    found.slice(0, LIMIT).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.entry.page;
      link.textContent = hit.entry.title;
      item.appendChild(link);
      var kind = document.createElement("small");
      kind.textContent = " " + hit.entry.kind + (hit.matched !== hit.entry.title ? " · " + hit.matched : "");
      item.appendChild(kind);
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  var asked = new URLSearchParams(window.location.search).get("q");
  if (box) {
    if (asked !== null) { box.value = asked; }
    box.addEventListener("input", function () { show(box.value); });
  }
  var missing = document.getElementById("missing");
  if (asked !== null) {
    show(asked);
  } else if (missing && results) {
    // the not-found page: suggest what the last part of the address names
    show(missing.textContent.split("/").pop().replace(/[-_.]+/g, " ").replace(/\b(html|ttl|jsonld|nt)$/, ""));
  }
  document.documentElement.setAttribute("data-search", "ready");
}());
