// For partner pages that frame a Takeback embed: sizes each embed's frame to its content.
//   <script src="https://<takeback site>/static/js/embed-frame.js" defer></script>
// It accepts messages only from the origin this script is served from, and only resizes the frame
// the message came from. Nothing else is read or sent.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var siteOrigin = new URL(script.src, window.location.href).origin;
  window.addEventListener("message", function (event) {
    if (event.origin !== siteOrigin || !event.data || event.data.takeback !== "frame-height") {
      return;
    }
    var height = Number(event.data.height);
    if (!isFinite(height) || height <= 0 || height > 20000) {
      return;
    }
    var frames = document.getElementsByTagName("iframe");
    for (var index = 0; index < frames.length; index += 1) {
      if (frames[index].contentWindow === event.source) {
        frames[index].style.height = height + "px";
      }
    }
  });
})();
