// Takeback's own script, loaded by every page and embed. No inline code (the CSP forbids it), and
// nothing leaves the page except the embed's height, told to the partner page that frames it.
(function () {
  "use strict";

  // A campaign link's ?source= code goes with the form. Copied here rather than rendered by the
  // server, so the campaign page is the same for every visitor and any shared cache may keep it.
  // The server checks the code again (a short slug, else ignored).
  var code = new URLSearchParams(window.location.search).get("source");
  if (code) {
    document.querySelectorAll("input[data-source-code]").forEach(function (input) {
      if (!input.value) {
        input.value = code.slice(0, 40);
      }
    });
  }

  // After the server refused the form, start where the errors are listed (keyboard and screen
  // reader users land there; on a phone it scrolls into view).
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }

  // Inside a partner's frame: tell the partner page how tall the content is, so the frame can fit
  // it (static/js/embed-frame.js on the partner's side) and the send button is never cut off.
  if (window.parent !== window && document.body.classList.contains("embed")) {
    var lastHeight = 0;
    var tell = function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== lastHeight) {
        lastHeight = height;
        // The height is all it says; the partner script checks that it comes from our origin.
        window.parent.postMessage({ takeback: "frame-height", height: height }, "*");
      }
    };
    tell();
    window.addEventListener("load", tell);
    if (window.ResizeObserver) {
      new ResizeObserver(tell).observe(document.documentElement);
    }
  }
})();
