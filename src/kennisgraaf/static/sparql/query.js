/* The /sparql query page: YASGUI on this endpoint, example queries in new tabs, download links
   that follow the editor. No network access beyond this server (no prefix.cc or LOV lookups). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-sparql-config").textContent);
  var element = document.getElementById("yasgui");
  if (!window.Yasgui || !element) { return; }
  var Yasgui = window.Yasgui;

  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: config.query, autocompleters: ["variables"], collapsePrefixesOnLoad: true },
    yasr: { prefixes: config.prefixes || {} }
  });

  // Result IRIs under the dataset's base open this server's page about them (/id/… answers 303
  // to /doc/…), not the public IRI's host; other IRIs link out as they are.
  function localise(root) {
    var links = root.querySelectorAll ? root.querySelectorAll("a[href^='" + config.base + "']") : [];
    for (var i = 0; i < links.length; i++) {
      links[i].setAttribute("href", "/" + links[i].getAttribute("href").slice(config.base.length));
      links[i].classList.add("local");
    }
  }
  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      for (var j = 0; j < changes[i].addedNodes.length; j++) {
        var node = changes[i].addedNodes[j];
        if (node.nodeType === 1) { localise(node.parentNode || node); }
      }
    }
  }).observe(element, { childList: true, subtree: true });

  function currentQuery() {
    var tab = yasgui.getTab();
    return tab ? tab.getQuery() : config.query;
  }

  function updateDownloads() {
    var links = document.querySelectorAll("#sparql-downloads a[data-format]");
    var query = currentQuery();
    for (var i = 0; i < links.length; i++) {
      var params = new URLSearchParams({ query: query, format: links[i].dataset.format, download: "1" });
      links[i].href = config.endpoint + "?" + params.toString();
    }
  }

  var buttons = document.querySelectorAll("#sparql-examples button[data-example]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) {
      var example = config.examples[Number(event.currentTarget.dataset.example)];
      var tab = yasgui.addTab(true, Object.assign({}, Yasgui.Tab.getDefaults(yasgui), {
        name: event.currentTarget.dataset.title.slice(0, 40),
        yasqe: { value: example.query },
        requestConfig: { endpoint: config.endpoint, method: "POST" }
      }));
      tab.show();
      updateDownloads();
    });
  }

  yasgui.on("tabSelect", function () { setTimeout(updateDownloads, 0); });
  yasgui.on("query", updateDownloads);
  var first = yasgui.getTab();
  if (first && first.getYasqe()) { first.getYasqe().on("change", updateDownloads); }
  updateDownloads();
  if (config.run && first) { first.query(); }
}());
