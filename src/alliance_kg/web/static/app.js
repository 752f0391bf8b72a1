// The query page: runs the editor's query against the SPARQL endpoint and presents the
// result (a table for SELECT, true/false for ASK, Turtle for CONSTRUCT/DESCRIBE), with
// downloads and a permalink. Server details come from the #page-config JSON block.
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("page-config").textContent);
  const byId = (id) => document.getElementById(id);
  const form = byId("query-form");
  const editor = byId("query");
  const gutter = byId("gutter");
  const options = byId("query-options");
  const results = byId("results");
  const summary = byId("summary");
  const downloads = byId("downloads");
  const gephi = byId("gephi");
  const truncated = byId("truncated");
  const errorBox = byId("error");
  const output = byId("output");
  const exampleHelp = byId("example-help");
  const copyStatus = byId("copy-status");

  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(
    ["integer", "decimal", "double", "float", "long", "int", "short", "byte",
      "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
      "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"].map((t) => XSD + t),
  );
  const ROWS_PER_PAGE = 1000;
  const STATUS_TEXT = {
    400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 413: "Payload Too Large", 415: "Unsupported Media Type",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout",
  };
  const number = new Intl.NumberFormat("en-US");
  // Longest namespace first, so the most specific prefix names an IRI.
  const prefixes = Object.entries(config.prefixes).sort((a, b) => b[1].length - a[1].length);
  const graphTypes = new Set(config.graphFormats.map((f) => f.media_type));

  // ---- the query text ------------------------------------------------------------------

  // Strings, IRIs and comments can hold words such as SELECT; they are blanked out before
  // the query form is read, as the server does.
  const LEXEME = new RegExp(
    String.raw`"""(?:[^"\\]|\\.|"(?!""))*"""|'''(?:[^'\\]|\\.|'(?!''))*'''` +
      String.raw`|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'` +
      String.raw`|<[^<>"{}|^\x60\\\x00-\x20]*>|#[^\n\r]*`,
    "gs",
  );
  const FORM = /(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])/i;

  function queryForm(text) {
    const match = FORM.exec(text.replace(LEXEME, " "));
    return match ? match[1].toUpperCase() : "SELECT";
  }

  // Named inputs inside #query-options travel with every request, download and permalink.
  function optionParams() {
    const params = new URLSearchParams();
    for (const field of options.querySelectorAll("input[name], select[name]")) {
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) {
        if (field.dataset.unchecked !== undefined) params.append(field.name, field.dataset.unchecked);
        continue;
      }
      params.append(field.name, field.value);
    }
    return params;
  }

  // A permalink restores the options it was made with.
  function restoreOptions(params) {
    for (const field of options.querySelectorAll("input[name], select[name]")) {
      if (!params.has(field.name)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = params.getAll(field.name).includes(field.value);
      } else {
        field.value = params.get(field.name);
      }
    }
  }

  function requestParams(text, extra = {}) {
    const params = new URLSearchParams({ query: text });
    for (const [key, value] of optionParams()) params.append(key, value);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return params;
  }

  function permalink(text) {
    return `${location.pathname}?${requestParams(text)}`;
  }

  // ---- the editor ----------------------------------------------------------------------

  let shownLines = 0;

  function updateGutter() {
    const lines = editor.value.split("\n").length;
    if (lines !== shownLines) {
      shownLines = lines;
      gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
      // The editor grows with the query, within bounds; dragging its corner still resizes it.
      editor.rows = Math.min(Math.max(lines + 1, 8), 28);
    }
    gutter.scrollTop = editor.scrollTop;
  }

  editor.addEventListener("input", updateGutter);
  editor.addEventListener("scroll", () => { gutter.scrollTop = editor.scrollTop; });

  const exampleLinks = Array.from(document.querySelectorAll("#examples a[data-example]"));

  function exampleText(link) {
    return new URL(link.href).searchParams.get("query") || "";
  }

  function markExample(link) {
    for (const other of exampleLinks) other.removeAttribute("aria-current");
    if (link) {
      link.setAttribute("aria-current", "true");
      const description = byId(link.getAttribute("aria-describedby"));
      exampleHelp.textContent = `${link.textContent}: ${description ? description.textContent : ""}`;
    } else {
      exampleHelp.textContent = "";
    }
  }

  for (const link of exampleLinks) {
    link.addEventListener("click", (event) => {
      // A modified click (new tab, new window) keeps its ordinary meaning: the link is a
      // permalink to the example.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      editor.value = exampleText(link);
      editor.scrollTop = 0;
      updateGutter();
      markExample(link);
      clearResults("Run the query to see its results here.");
    });
  }

  editor.addEventListener("input", () => {
    const current = exampleLinks.find((link) => link.getAttribute("aria-current"));
    if (current && exampleText(current) !== editor.value) markExample(null);
  });

  // ---- presenting terms ----------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function prefixed(iri) {
    for (const [prefix, namespace] of prefixes) {
      if (iri.startsWith(namespace) && iri.length > namespace.length) {
        return `${prefix}:${iri.slice(namespace.length)}`;
      }
    }
    return null;
  }

  function entityHref(iri) {
    const local = iri.slice(config.idNamespace.length);
    return config.entityPath + local.split("/").map(encodeURIComponent).join("/");
  }

  // An IRI under the entity namespace links to its page here; other web IRIs link out.
  // Only http(s) IRIs become links, whatever scheme the data holds.
  function iriNode(iri, shown) {
    if (iri.startsWith(config.idNamespace) && iri.length > config.idNamespace.length) {
      const link = element("a", "iri local", shown || `id:${iri.slice(config.idNamespace.length)}`);
      link.href = entityHref(iri);
      link.title = iri;
      return link;
    }
    const text = shown || prefixed(iri) || `<${iri}>`;
    if (!/^https?:\/\//i.test(iri)) {
      const span = element("span", "iri", text);
      span.title = iri;
      return span;
    }
    const link = element("a", "iri external", text);
    link.href = iri;
    link.title = iri;
    return link;
  }

  function literalNode(term) {
    const fragment = document.createDocumentFragment();
    fragment.append(element("span", "literal", term.value));
    const lang = term["xml:lang"];
    if (lang) {
      fragment.append(element("span", "lang", `@${lang}`));
    } else if (term.datatype && term.datatype !== `${XSD}string`) {
      // Dates and numbers read as one unit: they do not wrap at their hyphens.
      fragment.firstChild.classList.add("typed");
      const datatype = element("span", "datatype", `^^${prefixed(term.datatype) || term.datatype}`);
      datatype.title = term.datatype;
      fragment.append(datatype);
    }
    return fragment;
  }

  function termNode(term) {
    switch (term.type) {
      case "uri":
        return iriNode(term.value);
      case "literal":
      case "typed-literal":
        return literalNode(term);
      case "bnode":
        return element("span", "bnode", `_:${term.value}`);
      case "triple": {
        const span = element("span", "quoted", "<< ");
        const { subject, predicate, object } = term.value;
        for (const part of [subject, predicate, object]) {
          span.append(termNode(part), " ");
        }
        span.append(">>");
        return span;
      }
      default:
        return element("span", "", String(term.value));
    }
  }

  // ---- presenting results --------------------------------------------------------------

  function formatElapsed(ms) {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  function plural(count, word) {
    return `${number.format(count)} ${word}${count === 1 ? "" : "s"}`;
  }

  function renderTable(vars, bindings) {
    const wrapper = element("div", "table-wrap");
    const table = element("table", "results-table");
    const head = table.createTHead().insertRow();
    head.append(element("th", "rownum", "#"));
    for (const name of vars) {
      const th = element("th", "", `?${name}`);
      th.scope = "col";
      head.append(th);
    }
    const body = table.createTBody();
    wrapper.append(table);
    let shown = 0;
    const more = element("button", "more");
    more.type = "button";

    function showMore() {
      const end = Math.min(bindings.length, shown + ROWS_PER_PAGE);
      const rows = document.createDocumentFragment();
      for (let i = shown; i < end; i += 1) {
        const row = document.createElement("tr");
        row.append(element("td", "rownum", String(i + 1)));
        for (const name of vars) {
          const cell = document.createElement("td");
          const term = bindings[i][name];
          if (term) {
            cell.append(termNode(term));
            if (term.datatype && NUMERIC.has(term.datatype)) cell.className = "num";
          }
          row.append(cell);
        }
        rows.append(row);
      }
      body.append(rows);
      shown = end;
      const left = bindings.length - shown;
      if (left > 0) {
        more.textContent = `Show ${number.format(Math.min(left, ROWS_PER_PAGE))} more rows ` +
          `(${number.format(left)} not shown)`;
      } else {
        more.remove();
      }
    }

    more.addEventListener("click", showMore);
    showMore();
    if (shown < bindings.length) wrapper.append(more);
    if (!bindings.length) {
      const row = body.insertRow();
      const cell = element("td", "empty", "No rows match.");
      cell.colSpan = vars.length + 1;
      row.append(cell);
    }
    return wrapper;
  }

  // Turtle, tokenised just enough to style comments, strings and keywords and to turn
  // IRIs and prefixed names into links; the text itself stays exactly as served.
  const TURTLE = new RegExp(
    String.raw`(#[^\n]*)` +
      String.raw`|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')` +
      String.raw`|<([^<>"{}|^\x60\\\s]*)>` +
      String.raw`|(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)` +
      String.raw`|((?:[A-Za-z][\w.-]*)?:(?:[\w.:%-]|\\.)*)`,
    "g",
  );

  function expandPrefixed(name) {
    const colon = name.indexOf(":");
    const namespace = config.prefixes[name.slice(0, colon)];
    if (namespace === undefined) return null;
    return namespace + name.slice(colon + 1).replace(/\\(.)/g, "$1");
  }

  // The prefix declarations that open a Turtle document, folded away under a summary so
  // the statements come first; the downloads keep the document whole.
  const PREFIX_BLOCK = /^(?:[ \t]*(?:@prefix|@base|PREFIX|BASE)\b[^\n]*\n)+/i;

  function renderGraph(text) {
    const wrapper = element("div", "graph");
    const head = PREFIX_BLOCK.exec(text);
    if (head) {
      const count = head[0].trimEnd().split("\n").length;
      const details = element("details", "prefixes");
      details.append(element("summary", "", `${plural(count, "prefix declaration")}`));
      details.append(renderTurtle(head[0]));
      wrapper.append(details);
    }
    wrapper.append(renderTurtle(head ? text.slice(head[0].length) : text));
    return wrapper;
  }

  function renderTurtle(text) {
    const pre = element("pre", "turtle");
    const code = document.createElement("code");
    pre.append(code);
    let last = 0;
    for (const match of text.matchAll(TURTLE)) {
      let token = match[0];
      let trailing = "";
      if (match[5] !== undefined) {
        // A prefixed name cannot end with '.', so a final dot ends the statement.
        const cut = token.replace(/\.+$/, "");
        trailing = token.slice(cut.length);
        token = cut;
      }
      code.append(text.slice(last, match.index));
      if (match[1] !== undefined) {
        code.append(element("span", "tt-comment", token));
      } else if (match[2] !== undefined) {
        code.append(element("span", "tt-string", token));
      } else if (match[3] !== undefined) {
        code.append(iriNode(match[3], token));
      } else if (match[4] !== undefined) {
        code.append(element("span", "tt-keyword", token));
      } else {
        const iri = expandPrefixed(token);
        code.append(iri ? iriNode(iri, token) : token);
      }
      code.append(trailing);
      last = match.index + match[0].length;
    }
    code.append(text.slice(last));
    return pre;
  }

  function renderDownloads(text, graph) {
    downloads.replaceChildren("Download: ");
    const formats = graph ? config.graphFormats : config.resultFormats;
    formats.forEach((format, index) => {
      const link = element("a", "", format.name);
      link.href = `${config.endpoint}?${requestParams(text, { format: format.name })}`;
      link.type = format.media_type;
      link.download = `alliance-kg-results.${format.extension}`;
      link.title = `${format.media_type}`;
      if (index) downloads.append(" · ");
      downloads.append(link);
    });
    downloads.hidden = false;
  }

  // A graph result, or a table with ?source and ?target columns, is a network: offer it
  // for Gephi, exported by the server from the same query and options.
  function renderNetworkExports(text, graph, vars) {
    if (!graph && !(vars.includes("source") && vars.includes("target"))) return;
    gephi.replaceChildren(graph ? "Open this CONSTRUCT result in Gephi: " : "Open these edges in Gephi: ");
    config.networkExports.forEach((exported, index) => {
      const link = element("a", "", exported.name);
      link.href = `${config.exportPath}${exported.file}?${requestParams(text, exported.params)}`;
      link.download = "";
      if (index) gephi.append(" · ");
      gephi.append(link);
    });
    gephi.hidden = false;
  }

  function clearResults(placeholder) {
    summary.textContent = "";
    downloads.hidden = true;
    gephi.hidden = true;
    truncated.hidden = true;
    errorBox.hidden = true;
    errorBox.replaceChildren();
    output.replaceChildren(element("p", "placeholder", placeholder));
  }

  function showPosition(line, column) {
    const lines = editor.value.split("\n");
    const row = Math.min(Math.max(line, 1), lines.length) - 1;
    let start = 0;
    for (let i = 0; i < row; i += 1) start += lines[i].length + 1;
    const end = start + lines[row].length;
    const caret = Math.min(start + Math.max(column - 1, 0), end);
    editor.focus();
    editor.setSelectionRange(caret, Math.min(caret + 1, end));
  }

  function showError(status, message) {
    clearResults("");
    output.replaceChildren();
    const title = status
      ? `The endpoint answered ${status} ${STATUS_TEXT[status] || ""}`.trim()
      : "The query did not run";
    errorBox.append(element("strong", "", title));
    errorBox.append(element("pre", "", message.trim() || "(no message)"));
    // The parser reports "line:column"; a button puts the caret there.
    const where = /\bat (\d+):(\d+)/.exec(message);
    if (where) {
      const [line, column] = [Number(where[1]), Number(where[2])];
      const button = element("button", "goto", `Go to line ${line}, column ${column}`);
      button.type = "button";
      button.addEventListener("click", () => showPosition(line, column));
      errorBox.append(button);
    }
    errorBox.hidden = false;
    summary.textContent = "Query failed";
  }

  function showResult(text, response, body, elapsed) {
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    const graph = graphTypes.has(type);
    const rowsHeader = response.headers.get("X-Result-Rows");
    const cut = response.headers.get("X-Result-Truncated");
    clearResults("");
    let vars = [];
    if (graph) {
      const count = rowsHeader === null ? null : Number(rowsHeader);
      summary.textContent = `${count === null ? "Graph" : plural(count, "triple")} in ${formatElapsed(elapsed)}`;
      output.replaceChildren(count === 0 ? element("p", "placeholder", "No triples.") : renderGraph(body));
    } else {
      let data;
      try {
        data = JSON.parse(body);
      } catch (err) {
        showError(response.status, `The endpoint sent ${type || "a response"} that is not ` +
          `SPARQL JSON results: ${err.message}`);
        return;
      }
      if (typeof data.boolean === "boolean") {
        summary.textContent = `ASK answered in ${formatElapsed(elapsed)}`;
        const answer = element("p", `boolean ${data.boolean}`, String(data.boolean));
        output.replaceChildren(answer);
      } else {
        const bindings = data.results.bindings;
        vars = data.head.vars || [];
        summary.textContent = `${plural(bindings.length, "row")} in ${formatElapsed(elapsed)}`;
        output.replaceChildren(renderTable(data.head.vars || [], bindings));
      }
    }
    if (cut) {
      truncated.textContent = `The result was cut at the endpoint's cap of ` +
        `${number.format(config.maxRows)} rows (${cut}). Add LIMIT/OFFSET or narrow the query ` +
        `to see the rest; downloads are capped the same way.`;
      truncated.hidden = false;
    }
    renderDownloads(text, graph);
    renderNetworkExports(text, graph, vars);
  }

  // ---- running -------------------------------------------------------------------------

  let running = null;

  async function run() {
    const text = editor.value;
    if (!text.trim()) {
      showError(null, "The editor is empty: write a query or choose an example.");
      return;
    }
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    history.replaceState(null, "", permalink(text));
    const graph = ["CONSTRUCT", "DESCRIBE"].includes(queryForm(text));
    // The preferred type follows the query form; the other is accepted too, so a form the
    // page misreads still gets an answer, which is then presented by its Content-Type.
    const accept = graph
      ? "text/turtle, application/sparql-results+json;q=0.5"
      : "application/sparql-results+json, text/turtle;q=0.5";
    results.setAttribute("aria-busy", "true");
    summary.textContent = "Running…";
    const started = performance.now();
    let response;
    let body;
    try {
      response = await fetch(config.endpoint, {
        method: "POST",
        headers: { Accept: accept },
        body: requestParams(text),
        signal: controller.signal,
      });
      body = await response.text();
    } catch (err) {
      if (err.name === "AbortError") return;
      results.setAttribute("aria-busy", "false");
      running = null;
      showError(null, `The endpoint could not be reached: ${err.message}`);
      return;
    }
    if (running !== controller) return;
    running = null;
    const elapsed = performance.now() - started;
    results.setAttribute("aria-busy", "false");
    if (!response.ok) {
      showError(response.status, body);
      return;
    }
    showResult(text, response, body, elapsed);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });

  // ---- the permalink -------------------------------------------------------------------

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    // Plain http on another host has no clipboard API; a selected, off-screen textarea
    // and the copy command still work there.
    const scratch = element("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.className = "offscreen";
    document.body.append(scratch);
    scratch.select();
    const copied = document.execCommand("copy");
    scratch.remove();
    if (!copied) throw new Error("copy refused");
  }

  byId("copy-link").addEventListener("click", async () => {
    const url = new URL(permalink(editor.value), location.href).href;
    try {
      await copyText(url);
      copyStatus.textContent = "Link copied";
    } catch {
      copyStatus.textContent = "Copying failed; the address bar holds the link after a run";
    }
    setTimeout(() => { copyStatus.textContent = ""; }, 4000);
  });

  // ---- start ---------------------------------------------------------------------------

  updateGutter();
  markExample(exampleLinks.find((link) => exampleText(link) === editor.value) || null);
  // A permalink opens with its query run, so a shared link shows the shared result.
  const opened = new URLSearchParams(location.search);
  if (opened.has("query")) {
    restoreOptions(opened);
    run();
  }
})();
