// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // On a narrow screen, fold the list's filter panel away (the filters in use are listed above
  // the results, each removable) unless it holds an error to read.
  const panel = document.querySelector("details.filter-panel");
  if (panel && !panel.dataset.active && window.matchMedia("(max-width: 1199px)").matches) {
    panel.open = false;
  }

  // Leave empty fields out of a filter form's URL, so permalinks stay short and readable.
  for (const form of document.querySelectorAll("form[method='get']")) {
    form.addEventListener("submit", () => {
      for (const field of form.elements) {
        if (field.name && !field.value && field.type !== "checkbox") {
          field.disabled = true;
        }
      }
    });
  }
});

// Printing: every folded section (details) prints open, and folds back afterwards.
(() => {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("main details:not([open])")];
    for (const details of opened) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of opened) details.open = false;
    opened = [];
  });
})();

// == Forms: move focus to a form's error summary, so its problems are read out first ==
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
});
// (end of forms block)

// == Commitment page (issue 14): "Copy" buttons beside read-only addresses ==
// Each `input[data-copy]` (the feed's and the page's address) gets a button that copies it.
// Without JavaScript, or without the clipboard, the address can still be selected by hand.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) {
    return;
  }
  for (const field of document.querySelectorAll("input[data-copy]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small secondary copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", `Copy ${field.dataset.copy || "this address"}`);
    const status = document.createElement("span");
    status.className = "meta copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(
        () => { status.textContent = "Copied."; },
        () => { field.select(); status.textContent = "Select the address and copy it."; },
      );
    });
    field.after(button, status);
  }
});
// == end of commitment page block ==
