// Small page actions, written here because the pages' Content-Security-Policy allows scripts
// from /static only (no inline handlers):
// - a check box with data-select-all="SELECTOR" ticks or clears the boxes of its table;
// - a button with data-print prints the page;
// - a button with data-open-selected="SELECTOR" data-url="URL" opens URL?ids=… for the
//   ticked boxes (and hidden inputs) the selector finds, in a new tab;
// - an htmx element with data-failed="TEXT" shows TEXT when its request fails.
document.addEventListener("htmx:responseError", (event) => {
  const element = event.detail.elt;
  if (element && element.dataset.failed) element.textContent = element.dataset.failed;
});
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-select-all], [data-print], [data-open-selected]");
  if (!target) return;
  if (target.matches("[data-select-all]")) {
    const scope = target.closest("table") || document;
    for (const box of scope.querySelectorAll(target.dataset.selectAll)) box.checked = target.checked;
  } else if (target.matches("[data-print]")) {
    window.print();
  } else {
    const inputs = document.querySelectorAll(target.dataset.openSelected);
    const ids = [...inputs].filter((input) => input.type === "hidden" || input.checked);
    const query = ids.map((input) => "ids=" + encodeURIComponent(input.value)).join("&");
    if (query) window.open(target.dataset.url + "?" + query, "_blank");
  }
});
