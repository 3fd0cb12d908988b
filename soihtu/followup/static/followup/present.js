// The follow-up meeting's presentation: Left/Right arrows and Page Up/Down follow the page's
// rel="prev" / rel="next" links, so the keys do just what the links do without JavaScript.
"use strict";
(function () {
  var KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };
  document.addEventListener("keydown", function (event) {
    var rel = KEYS[event.key];
    if (!rel || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, [contenteditable]")) {
      return;
    }
    var link = document.querySelector('a[rel~="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
