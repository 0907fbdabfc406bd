/* A document's source text opened at a quoted passage (#q-…): say above the text which claims
   that passage supports, with links back to them (the same links as the passage list). */
(function () {
  "use strict";
  var bar = document.getElementById("back-to-claim");
  if (!bar) { return; }
  function show() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (!target || !target.classList.contains("q") && !target.classList.contains("q-anchor")) {
      bar.hidden = true;
      return;
    }
    var item = document.querySelector(".passages li a[href='" + location.hash + "']");
    var entry = item ? item.parentNode : null;
    var links = entry ? entry.querySelectorAll("a:not(:first-child)") : [];
    if (!links.length) { bar.hidden = true; return; }
    bar.textContent = bar.dataset.label || (document.documentElement.lang === "en" ? "This passage supports: " : "Dit fragment onderbouwt: ");
    for (var i = 0; i < links.length; i++) {
      var a = document.createElement("a");
      a.href = links[i].getAttribute("href");
      a.textContent = "← " + links[i].textContent;
      bar.appendChild(a);
      if (i < links.length - 1) { bar.appendChild(document.createTextNode(" · ")); }
    }
    bar.hidden = false;
  }
  window.addEventListener("hashchange", show);
  show();
}());
