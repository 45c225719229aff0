// The SPARQL page's editor: YASGUI on the endpoint, a tab per example query (read from the page's
// JSON). A file of its own, since the Content-Security-Policy runs no inline script.
(function () {
  const element = document.getElementById("yasgui");
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const yasgui = new Yasgui(element, {
    requestConfig: { endpoint: element.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    persistenceId: null,
  });
  examples.forEach(function (example, index) {
    yasgui.addTab(index === 0, { name: example.title, yasqe: { value: example.text } });
  });
})();
