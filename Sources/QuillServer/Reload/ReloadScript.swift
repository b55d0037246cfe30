/// The live-reload script: served at `/_quill/reload.js` and linked from every HTML response just before
/// `</body>`, at serve time only — the built files never contain it.
enum ReloadScript {
    /// Where the server answers the script and the event channel; the site's own paths never start here.
    static let prefix = "/_quill/"
    static let scriptPath = "/_quill/reload.js"
    static let eventsPath = "/_quill/events"

    /// Goes into the ETag of HTML responses, which carry the script tag.
    static let version = "lr1"

    static let tag = Array("<script src=\"\(scriptPath)\"></script>".utf8)

    /// `html` with the script tag before its last `</body>` (any case), or at its end when it has none.
    static func inject(into html: [UInt8]) -> [UInt8] {
        let closing = Array("</body".utf8)
        var position = html.count
        if html.count >= closing.count {
            var index = html.count - closing.count
            while index >= 0 {
                if zip(html[index..<index + closing.count], closing).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
                    position = index
                    break
                }
                index -= 1
            }
        }
        return Array(html[..<position]) + tag + html[position...]
    }

    /// The script. Events: `hello` (a new server run reloads), `reload`, `css` (swap the listed stylesheets;
    /// reload when none of them is linked directly), `build-error` (show the overlay) and `build-ok` (hide it).
    static let source = #"""
    // Quill live reload: added by `quill serve` only; built sites never contain it.
    (() => {
      "use strict";
      if (window.__quillLiveReload) return;
      window.__quillLiveReload = true;
      // The page shown: a rebuild that changes it writes it first and reloads it before the rest is done.
      const events = new EventSource("/_quill/events?page=" + encodeURIComponent(location.pathname));
      const data = (event) => JSON.parse(event.data);
      let server = null;
      let overlay = null;

      events.addEventListener("hello", (event) => {
        const id = data(event).server;
        if (server !== null && server !== id) location.reload();
        server = id;
      });
      events.addEventListener("reload", () => location.reload());
      events.addEventListener("css", (event) => {
        const paths = new Set(data(event).paths);
        let swapped = 0;
        for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
          const url = new URL(link.href, location.href);
          if (url.origin !== location.origin || !paths.has(url.pathname)) continue;
          url.searchParams.set("quill-reload", Date.now().toString(36));
          const fresh = link.cloneNode();
          fresh.href = url.href;
          fresh.addEventListener("load", () => link.remove());
          fresh.addEventListener("error", () => fresh.remove());
          link.after(fresh);
          swapped += 1;
        }
        if (swapped === 0) location.reload();
      });
      events.addEventListener("build-error", (event) => show(data(event).html));
      events.addEventListener("build-ok", hide);

      const style = `<style>
        :host { all: initial; }
        .quill-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem;
          background: rgba(20, 20, 24, 0.94); color: #f2f2f2; font: 15px/1.5 system-ui, sans-serif; }
        header { display: flex; gap: 1rem; align-items: baseline; margin-bottom: 1.5rem; }
        header strong { color: #ff6b6b; font-size: 1.3rem; }
        header span { color: #aaa; }
        section { margin-bottom: 2rem; }
        .location { font-family: ui-monospace, monospace; color: #8ecbff; margin: 0; }
        .message { font-size: 1.1rem; margin: 0.25rem 0; }
        .hint { color: #c8e6a0; margin: 0.25rem 0; }
        pre { background: #000; padding: 0.75rem 1rem; border-radius: 6px; overflow: auto;
          font: 13px/1.45 ui-monospace, monospace; }
        mark { background: #5a1e1e; color: #fff; }
        .caret { color: #ff6b6b; }
      </style>`;

      function show(html) {
        hide();
        overlay = document.createElement("quill-error-overlay");
        overlay.attachShadow({ mode: "open" }).innerHTML = style + html;
        document.documentElement.appendChild(overlay);
      }

      function hide() {
        if (overlay) overlay.remove();
        overlay = null;
      }
    })();
    """#
}
