// The query page: stored queries as examples, and read-only SPARQL sent to the endpoint beside
// the page (dispute-kg serve answers /query); answers drawn as a table, links to our pages.
(function () {
  "use strict";
  var stored = JSON.parse(document.getElementById("stored-queries").textContent);
  var form = document.getElementById("sparql-form");
  var text = document.getElementById("sparql");
  var example = document.getElementById("example");
  var status = document.getElementById("status");
  var answer = document.getElementById("answer");
  var ID = "https://w3id.org/dispute-kg/id/";
  var initial = text.value;

  function choose(name) {
    var found = stored.filter(function (q) { return q.name === name; })[0];
    text.value = found ? found.text : initial;
    example.value = found ? name : "";
  }

  example.addEventListener("change", function () {
    choose(example.value);
    history.replaceState(null, "", example.value ? "#" + example.value : "#");
  });

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri" && term.value.indexOf(ID) === 0) {
      var link = document.createElement("a");
      link.href = "id/" + term.value.slice(ID.length) + ".html";
      link.textContent = term.value.slice(ID.length).replace("/", ":");
      td.appendChild(link);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.lang = term["xml:lang"]; }
    }
    return td;
  }

  function draw(data) {
    answer.textContent = "";
    if (data.boolean !== undefined) { answer.textContent = data.boolean ? "yes" : "no"; return; }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table");
    var caption = document.createElement("caption");
    caption.textContent = rows.length + (rows.length === 1 ? " row" : " rows");
    table.appendChild(caption);
    var head = document.createElement("tr");
    vars.forEach(function (v) { var th = document.createElement("th"); th.scope = "col"; th.textContent = v; head.appendChild(th); });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    answer.appendChild(table);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    status.textContent = "running…";
    fetch("query?query=" + encodeURIComponent(text.value), { headers: { Accept: "application/sparql-results+json" } })
      .then(function (response) {
        if (!response.ok) {
          return response.text().then(function (body) { throw new Error(response.status + " " + body); });
        }
        return response.json();
      })
      .then(function (data) { status.textContent = ""; draw(data); })
      .catch(function (error) {
        status.textContent = "The endpoint did not answer (" + error.message + "). Open this page from dispute-kg serve.";
      });
  });

  if (window.location.hash.length > 1) { choose(decodeURIComponent(window.location.hash.slice(1))); }
  document.documentElement.setAttribute("data-query-page", "ready");
}());
