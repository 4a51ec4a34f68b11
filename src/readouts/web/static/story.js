// Story pages: clicking an "Accounts differ" or corroboration card lights up its statements' words and scrolls to them.
(function () {
  "use strict";

  function marksFor(anchor) {
    return document.querySelectorAll('mark.content[data-statement="' + CSS.escape(anchor) + '"]');
  }

  function clear() {
    document.querySelectorAll("mark.lit").forEach(function (m) { m.classList.remove("lit"); });
    document.querySelectorAll(".card.active").forEach(function (c) {
      c.classList.remove("active");
      c.setAttribute("aria-pressed", "false");
    });
  }

  function lightUp(card) {
    clear();
    var anchors = (card.getAttribute("data-statements") || "").split(" ").filter(Boolean);
    var first = null;
    anchors.forEach(function (anchor) {
      marksFor(anchor).forEach(function (m) {
        m.classList.add("lit");
        if (!first) { first = m; }
      });
    });
    card.classList.add("active");
    card.setAttribute("aria-pressed", "true");
    if (first) { first.scrollIntoView({ block: "center" }); }
  }

  document.addEventListener("click", function (event) {
    var card = event.target.closest(".card[data-statements]");
    if (!card) { return; }
    if (event.target.closest("a")) { return; }  // links inside a card keep their own meaning
    lightUp(card);
  });

  document.addEventListener("keydown", function (event) {
    var card = event.target.closest && event.target.closest(".card[data-statements]");
    if (card && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      lightUp(card);
    }
  });
})();
