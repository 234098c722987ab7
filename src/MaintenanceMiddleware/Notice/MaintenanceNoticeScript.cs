using System.Text;

namespace MaintenanceMiddleware;

/// <summary>
/// <c>/_maintenance/notice.js</c>: a self-contained banner (no external resources, no inline styles in markup, so it works
/// under a strict Content-Security-Policy that allows the script itself). It asks <c>/_maintenance/notice</c> and shows
/// "We will be down for maintenance from … to …" before a window, or, to a visitor let through during one, why they
/// still see the site. Dismissing it hides it for that window for the rest of the browser session.
/// </summary>
internal static class MaintenanceNoticeScript
{
    public const string Source = """
        (function () {
          "use strict";
          var script = document.currentScript;
          var url = script && script.src ? script.src.replace(/\.js(\?.*)?$/, "") : "/_maintenance/notice";
          function when(iso) {
            var date = new Date(iso);
            try { return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }); } catch (e) { return date.toString(); }
          }
          function text(n) {
            var until = n.endsAt ? " to " + when(n.endsAt) : "";
            if (n.inForce && !n.letThrough) {
              return "The site is read-only for maintenance" + (n.endsAt ? " until " + when(n.endsAt) : "") + ": you can browse, but not order or save.";
            }
            if (n.inForce) {
              return "Maintenance is in progress" + (n.endsAt ? " until " + when(n.endsAt) : "") +
                ". You see the site because your network is let through during maintenance.";
            }
            return (n.mode === "ReadOnly" ? "The site will be read-only for maintenance from " : "We will be down for maintenance from ") +
              when(n.startsAt) + until + ".";
          }
          function show(n) {
            var key = "maintenance-notice-dismissed:" + n.application + "|" + n.startsAt + "|" + n.endsAt + "|" + n.inForce;
            try { if (window.sessionStorage.getItem(key)) { return; } } catch (e) { }
            var bar = document.createElement("div");
            bar.id = "maintenance-notice";
            bar.setAttribute("role", "status");
            bar.style.cssText = "position:sticky;top:0;z-index:2147483647;display:flex;gap:1rem;align-items:center;justify-content:center;" +
              "padding:.6rem 1rem;background:#fff3cd;color:#3d2e00;border-bottom:1px solid #e0c36a;font:14px/1.4 system-ui,sans-serif";
            var message = document.createElement("span");
            message.className = "maintenance-notice-text";
            message.textContent = text(n) + (n.message ? " " + n.message : "");
            var close = document.createElement("button");
            close.type = "button";
            close.className = "maintenance-notice-dismiss";
            close.setAttribute("aria-label", "Dismiss the maintenance notice");
            close.textContent = "Dismiss";
            close.style.cssText = "font:inherit;padding:.15rem .6rem;border:1px solid #b39540;border-radius:4px;background:transparent;color:inherit;cursor:pointer";
            close.addEventListener("click", function () {
              bar.remove();
              try { window.sessionStorage.setItem(key, "1"); } catch (e) { }
            });
            bar.appendChild(message);
            bar.appendChild(close);
            document.body.insertBefore(bar, document.body.firstChild);
          }
          function run() {
            fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
              .then(function (r) { return r.status === 200 ? r.json() : null; })
              .then(function (n) { if (n && (!n.inForce || n.letThrough || n.mode === "ReadOnly")) { show(n); } })
              .catch(function () { });
          }
          if (document.body) { run(); } else { document.addEventListener("DOMContentLoaded", run); }
        })();

        """;

    /// <summary>The script as UTF-8, encoded once.</summary>
    public static readonly byte[] Bytes = Encoding.UTF8.GetBytes(Source);
}
