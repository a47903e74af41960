// Solves a public form's proof-of-work puzzle before it is sent: a counter whose
// SHA-256("puzzle:counter") starts with the puzzle's number of zero bits.
(function () {
  "use strict";
  function zeros(buf) {
    var b = new Uint8Array(buf), n = 0;
    for (var i = 0; i < b.length; i++) {
      if (b[i] === 0) { n += 8; continue; }
      for (var m = 0x80; m && !(b[i] & m); m >>= 1) { n++; }
      break;
    }
    return n;
  }
  async function solve(puzzle) {
    var want = parseInt(puzzle.split(".")[0], 10), enc = new TextEncoder();
    for (var i = 0; ; i++) {
      var d = await crypto.subtle.digest("SHA-256", enc.encode(puzzle + ":" + i));
      if (zeros(d) >= want) { return String(i); }
    }
  }
  document.addEventListener("submit", function (ev) {
    var form = ev.target, p = form.querySelector("input[data-pow]");
    if (!p || form.dataset.solved === "1") { return; }
    ev.preventDefault();
    solve(p.value).then(function (answer) {
      form.querySelector("input[name=pow_answer]").value = answer;
      form.dataset.solved = "1";
      form.submit();
    });
  });
})();
