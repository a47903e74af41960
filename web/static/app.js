// decisionflow workbench: rows added to list fields, and acts signed in the browser.
// The signature covers the RFC 8785 form of {"v":2,"act":ROUTE,"nonce":IDEMPOTENCY_KEY,"body":BODY},
// exactly as the server verifies it; the private key is an Ed25519 key made here, not
// extractable, kept in this browser's IndexedDB.
(function () {
  "use strict";
  var zh = document.documentElement.lang !== "en";
  function t(a, b) { return zh ? a : b; }

  // canonical writes a JSON value in its RFC 8785 form: object members sorted by their UTF-16
  // code units, no whitespace, numbers and strings as ECMAScript writes them.
  function canonical(v) {
    if (v === null || typeof v !== "object") { return JSON.stringify(v); }
    if (Array.isArray(v)) { return "[" + v.map(canonical).join(",") + "]"; }
    return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(v[k]); }).join(",") + "}";
  }

  function b64(buf) {
    var s = "", bytes = new Uint8Array(buf);
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s);
  }

  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("decisionflow", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("keys"); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function idb(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction("keys", mode), req = fn(tx.objectStore("keys"));
        tx.oncomplete = function () { resolve(req.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function actor() { var p = document.querySelector("[data-actor]"); return p ? p.getAttribute("data-actor") : ""; }
  function csrf() { var m = document.querySelector("main[data-csrf]"); return m ? m.getAttribute("data-csrf") : ""; }

  function storedKey() { return idb("readonly", function (s) { return s.get(actor()); }); }

  // browserKey returns this browser's key for the signed-in person, made and registered on
  // first use.
  function browserKey(make) {
    return storedKey().then(function (k) {
      if (k || !make) { return k; }
      if (!window.crypto || !crypto.subtle) { throw new Error(t("此浏览器不支持在页面中签名（需 HTTPS 或 localhost）", "this browser cannot sign in the page (HTTPS or localhost needed)")); }
      return crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]).then(function (pair) {
        return crypto.subtle.exportKey("spki", pair.publicKey).then(function (spki) {
          var pem = "-----BEGIN PUBLIC KEY-----\n" + b64(spki).replace(/(.{64})/g, "$1\n") + "\n-----END PUBLIC KEY-----\n";
          var fd = new FormData();
          fd.append("csrf", csrf());
          fd.append("public_key", pem);
          return fetch("/keys", { method: "POST", body: fd, headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error(j.detail || r.statusText); } return j; }); })
            .then(function (reg) {
              var key = { id: reg.id, pair: pair };
              return idb("readwrite", function (s) { return s.put(key, actor()); }).then(function () { return key; });
            });
        });
      });
    });
  }

  function prepare(form) {
    var fd = new FormData(form);
    return fetch(form.getAttribute("data-prepare"), { method: "POST", body: fd, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error((j.rule ? j.rule + " " : "") + (zh ? j.detail : j.detail_en || j.detail)); } return j; }); })
      .then(function (p) {
        form.querySelector("input[name=body]").value = p.body;
        form.querySelector("input[name=idempotency_key]").value = p.nonce;
        form.querySelectorAll("input[type=file]").forEach(function (f) { f.value = ""; });
        return p;
      });
  }

  function fail(form, err) {
    var box = form.querySelector(".sign-problem");
    if (!box) { box = document.createElement("div"); box.className = "problem sign-problem"; box.setAttribute("role", "alert"); form.prepend(box); }
    box.textContent = err.message || String(err);
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.hasAttribute("data-sign") || form.dataset.signed === "1") { return; }
    var pasted = form.querySelector("input[name=signature]");
    if (pasted.value.trim() !== "" && form.querySelector("input[name=body]").value !== "") { return; }
    ev.preventDefault();
    var key;
    browserKey(true).then(function (k) { key = k; return prepare(form); }).then(function (p) {
      var msg = canonical({ v: 2, act: p.act, nonce: p.nonce, body: JSON.parse(p.body) });
      return crypto.subtle.sign({ name: "Ed25519" }, key.pair.privateKey, new TextEncoder().encode(msg));
    }).then(function (sig) {
      pasted.value = 'keyId="' + key.id + '", signature="' + b64(sig) + '"';
      form.dataset.signed = "1";
      form.submit();
    }).catch(function (err) { fail(form, err); });
  });

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button.prepare");
    if (btn) {
      var form = btn.closest("form");
      prepare(form).then(function (p) {
        var pre = form.querySelector("pre.prepared");
        pre.hidden = false;
        pre.textContent = "decisionflow sign --key KEY.pem --act " + p.act + " --idempotency-key " + p.nonce + "\n\n" + p.body;
      }).catch(function (err) { fail(form, err); });
      return;
    }
    var add = ev.target.closest("button.add-row");
    if (add) {
      var list = add.getAttribute("data-list"), rows = add.parentNode.querySelectorAll(":scope > .row");
      var last = rows[rows.length - 1], n = rows.length, copy = last.cloneNode(true);
      var from = list + "." + (n - 1) + ".", to = list + "." + n + ".";
      copy.querySelectorAll("[name],[id],[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) { el.setAttribute(a, v.split(from).join(to).split(from.replace(/\./g, "-")).join(to.replace(/\./g, "-"))); }
        });
        if (el.type === "checkbox") { el.checked = false; } else if ("value" in el && el.tagName !== "SELECT") { el.value = ""; }
      });
      copy.querySelector(".muted").textContent = (n + 1) + ".";
      last.after(copy);
    }
    if (ev.target.id === "make-key") {
      browserKey(true).then(showKey).catch(function (err) { document.querySelector(".browser-key-status").textContent = err.message; });
    }
  });

  function showKey(k) {
    var st = document.querySelector(".browser-key-status");
    if (!st) { return; }
    var btn = document.getElementById("make-key");
    if (k) {
      st.textContent = t("本浏览器的密钥：", "This browser's key: ") + k.id;
      st.setAttribute("data-key-id", k.id);
      if (btn) { btn.hidden = true; }
      var row = document.querySelector('tr[data-key-id="' + k.id + '"]');
      if (row) { row.classList.add("this-browser"); }
    } else {
      st.textContent = t("本浏览器尚无签名密钥。", "This browser has no signing key yet.");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector(".browser-key-status") && actor()) { storedKey().then(showKey); }
  });
})();
