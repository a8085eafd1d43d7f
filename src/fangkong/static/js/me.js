/* Citizens' pages: a running clock (so a screenshot is easy to tell), and a fresh
   payload fetched before the shown one expires. Served as a file: the CSP allows no inline
   scripts. The expiry is measured from when the card arrived, not by the phone's own clock,
   so a phone whose clock is wrong neither shows a dead code nor asks again every second. */
(function () {
  "use strict";
  var MARGIN_MS = 20000;
  var formatter = null;
  try {
    formatter = new Intl.DateTimeFormat("zh-CN", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
    });
  } catch (e) { formatter = null; }

  /* every element marked data-clock: the code card here, the check-in card of the scans pages */
  function showClock() {
    if (!formatter) { return; }
    var now = formatter.format(new Date()).replace(/\//g, "-");
    document.querySelectorAll("[data-clock]").forEach(function (el) { el.textContent = now; });
  }

  function watchCard() {
    var card = document.getElementById("code-card");
    if (!card || !window.htmx) { return; }
    if (!card.fkSeenAt) {
      card.fkSeenAt = Date.now();
      card.fkLifetime = parseInt(card.getAttribute("data-expires-in") || "0", 10) * 1000;
    }
    var left = card.fkSeenAt + card.fkLifetime - Date.now();
    if (left < MARGIN_MS && !card.fkAsked) {
      card.fkAsked = true;
      window.htmx.trigger(card, "refresh");
    }
  }

  function tick() { showClock(); watchCard(); }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });
  /* a phone that slept past the expiry asks at once when the page is shown again */
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { tick(); }
  });
})();
