// fogwatch dashboard: selecting a highlight shows what was read from it.
// No data is built into this script; it only shows and hides what the page already holds.
"use strict";

(function () {
  document.documentElement.classList.add("js");

  function refsAt(node) {
    const refs = [];
    for (let el = node; el && el.id !== "report-text"; el = el.parentElement) {
      if (el.dataset && el.dataset.ref && !refs.includes(el.dataset.ref)) refs.push(el.dataset.ref);
    }
    return refs;
  }

  function select(refs, scroll) {
    document.querySelectorAll(".hl.selected").forEach((el) => el.classList.remove("selected"));
    document.querySelectorAll(".card.shown").forEach((el) => el.classList.remove("shown"));
    refs.forEach((ref) => {
      document.querySelectorAll('.hl[data-ref="' + CSS.escape(ref) + '"]').forEach((el) => el.classList.add("selected"));
      const card = document.getElementById("d-" + ref);
      if (card) card.classList.add("shown");
    });
    const first = refs.length ? document.getElementById(refs[0]) : null;
    if (scroll && first) first.scrollIntoView({ block: "center" });
  }

  function fromHash() {
    const ref = decodeURIComponent(location.hash.slice(1));
    if (/^(claim|event|place|time|figure)-\d+$/.test(ref)) select([ref], true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const text = document.getElementById("report-text");
    if (!text) return;
    text.addEventListener("click", (ev) => {
      const refs = refsAt(ev.target);
      if (refs.length) select(refs, false);
    });
    text.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && ev.target.dataset && ev.target.dataset.ref) select(refsAt(ev.target), false);
    });
    window.addEventListener("hashchange", fromHash);
    fromHash();
  });
})();
