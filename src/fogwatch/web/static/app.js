// fogwatch dashboard: selecting a highlight shows what was read from it.
// No data is built into this script; it only shows, hides and orders what the page already holds.
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

  // The panel shows the selected item's card at its top (CSS orders .cards first when .has-selection),
  // scrolled into its view; on a narrow screen the cards float over the text's lower part instead.
  function select(refs, scroll) {
    document.querySelectorAll(".hl.selected").forEach((el) => el.classList.remove("selected"));
    document.querySelectorAll(".card.shown").forEach((el) => el.classList.remove("shown"));
    let shown = null;
    refs.forEach((ref) => {
      document.querySelectorAll('.hl[data-ref="' + CSS.escape(ref) + '"]').forEach((el) => el.classList.add("selected"));
      const card = document.getElementById("d-" + ref);
      if (card) { card.classList.add("shown"); shown = shown || card; }
    });
    const panel = document.querySelector(".panel");
    if (panel) {
      panel.classList.toggle("has-selection", !!shown);
      panel.scrollTop = 0;
      const cards = panel.querySelector(".cards");
      if (cards) cards.scrollTop = 0;
    }
    const first = refs.length ? document.getElementById(refs[0]) : null;
    if (scroll && first) first.scrollIntoView({ block: "center" });
    if (shown) reveal(shown);
  }

  // Near the foot of a long report the sticky panel is pushed up by the end of the text, its first
  // card's head above the window: scrolling the page up by that much brings the panel down with it.
  function reveal(card) {
    const top = card.getBoundingClientRect().top;
    if (top < 8) window.scrollBy(0, top - 16);
    if (!inView(card)) card.scrollIntoView({ block: "nearest" });
  }

  function inView(el) {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight - 40;
  }

  function closeCards() {
    select([], false);
  }

  function fromHash() {
    const ref = decodeURIComponent(location.hash.slice(1));
    if (/^(claim|event|place|time|figure)-\d+$/.test(ref)) select([ref], true);
  }

  // Filter forms send only the fields filled in (an empty date field would be an invalid date).
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.classList || !form.classList.contains("filters")) return;
    form.querySelectorAll("input").forEach((input) => { if (!input.value.trim()) input.disabled = true; });
    setTimeout(() => form.querySelectorAll("input").forEach((input) => { input.disabled = false; }), 0);
  });

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
    const cards = document.querySelector(".panel .cards");
    if (cards) {
      const close = document.createElement("button");
      close.type = "button";
      close.className = "cards-close";
      close.textContent = "Close";
      close.setAttribute("aria-label", "Close the details");
      close.addEventListener("click", closeCards);
      cards.prepend(close);
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
    // The browser scrolls to the fragment's element itself once the page has loaded, after this
    // script ran: select again then, so that the card is seen where that scroll left the page.
    window.addEventListener("load", () => requestAnimationFrame(fromHash));
  });
})();
