/* The door scanner: reads the citizen's QR with the phone camera through the browser's
   BarcodeDetector where there is one, else the code is typed or pasted. A decoded code fills
   the form and submits it (htmx posts it to /scanner/check). The emergency toggle shows only
   for hospitals. A file, not inline: the CSP allows no inline scripts. */
(function () {
  "use strict";
  var stream = null;
  var detector = null;
  var busy = false;

  function byId(id) { return document.getElementById(id); }

  function showEmergency() {
    var select = byId("scan-venue");
    var box = byId("scan-emergency");
    if (!select || !box) { return; }
    var option = select.options[select.selectedIndex];
    box.hidden = !option || option.getAttribute("data-type") !== "hospital";
    if (box.hidden) { box.querySelector("input").checked = false; }
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    byId("scan-camera").hidden = true;
  }

  function submit(text) {
    byId("scan-code").value = text;
    var form = byId("scan-form");
    if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.submit(); }
  }

  function scanFrame() {
    var video = byId("scan-video");
    if (!stream || busy) { return; }
    busy = true;
    detector.detect(video).then(function (codes) {
      busy = false;
      if (codes.length > 0 && codes[0].rawValue) { stop(); submit(codes[0].rawValue); return; }
      window.setTimeout(scanFrame, 200);
    }).catch(function () { busy = false; window.setTimeout(scanFrame, 500); });
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (media) {
        stream = media;
        var video = byId("scan-video");
        video.srcObject = media;
        byId("scan-camera").hidden = false;
        return video.play();
      })
      .then(scanFrame)
      .catch(function () { stop(); byId("scan-code").focus(); });
  }

  function setupCamera() {
    var button = byId("scan-start");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { return; }
    button.hidden = false;
    button.addEventListener("click", start);
    byId("scan-stop").addEventListener("click", stop);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = byId("scan-venue");
    if (select) { select.addEventListener("change", showEmergency); }
    showEmergency();
    setupCamera();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id !== "decision") { return; }
      var code = byId("scan-code");
      if (code) { code.value = ""; code.focus(); }
    });
  });
}());
