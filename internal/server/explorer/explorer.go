// Package explorer serves a GraphQL explorer (GraphiQL) that needs no
// network beyond this server: every script, stylesheet and font is embedded
// in the binary and served under /explorer/assets/, so the page works on
// closed networks and under a strict Content-Security-Policy (no inline
// script, no eval, no CDN).
//
// The vendored files in assets/ come from update-assets.sh; explorer.js
// and explorer.css there are this package's own glue.
package explorer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// AssetPrefix is the URL path under which the embedded assets are served.
const AssetPrefix = "/explorer/assets/"

//go:embed assets
var assetsFS embed.FS

//go:embed page.html
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

// contentTypes lists the extensions served; an embedded file with any other
// extension is not served at all.
var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".txt":   "text/plain; charset=utf-8",
}

// compressible are the extensions worth gzipping (fonts are compressed already).
var compressible = map[string]bool{".js": true, ".css": true, ".txt": true}

type asset struct {
	body        []byte
	contentType string
	etag        string

	gzipOnce sync.Once
	gzipBody []byte // nil when not compressible or not smaller
}

func (a *asset) gzipped() []byte {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		if zw.Close() == nil && buf.Len() < len(a.body) {
			a.gzipBody = buf.Bytes()
		}
	})
	return a.gzipBody
}

var (
	loadOnce sync.Once
	assets   map[string]*asset // by path relative to AssetPrefix
)

func loadAssets() map[string]*asset {
	loadOnce.Do(func() {
		assets = map[string]*asset{}
		err := fs.WalkDir(assetsFS, "assets", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			ct, ok := contentTypes[path.Ext(p)]
			if !ok {
				return nil
			}
			body, err := assetsFS.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(body)
			assets[strings.TrimPrefix(p, "assets/")] = &asset{
				body:        body,
				contentType: ct,
				etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
			}
			return nil
		})
		if err != nil {
			panic("explorer: reading embedded assets: " + err.Error())
		}
	})
	return assets
}

// Handler returns an http.Handler serving the explorer page at "/" and its
// assets under "/explorer/assets/". endpoint is the GraphQL URL the page
// posts to (e.g. "/graphql").
//
// Every other path answers 404, and methods other than GET and HEAD 405.
// The page carries a Content-Security-Policy unless an outer handler has
// already set one (the outer one then stays as it is).
func Handler(endpoint string) http.Handler {
	as := loadAssets()
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, struct{ Endpoint, Assets string }{endpoint, AssetPrefix}); err != nil {
		panic("explorer: rendering page: " + err.Error())
	}
	page := buf.Bytes()
	csp := contentSecurityPolicy(endpoint)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			if !allowRead(w, r) {
				return
			}
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-store")
			h.Set("X-Content-Type-Options", "nosniff")
			if h.Get("Content-Security-Policy") == "" {
				h.Set("Content-Security-Policy", csp)
			}
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
		case strings.HasPrefix(r.URL.Path, AssetPrefix):
			a, ok := as[strings.TrimPrefix(r.URL.Path, AssetPrefix)]
			if !ok {
				http.NotFound(w, r)
				return
			}
			if !allowRead(w, r) {
				return
			}
			serveAsset(w, r, a)
		default:
			http.NotFound(w, r)
		}
	})
}

func allowRead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	// Asset URLs are not versioned: revalidate every time (a cheap 304),
	// so a page and its scripts never come from two different builds.
	h.Set("Cache-Control", "no-cache")
	body, etag := a.body, a.etag
	if compressible[path.Ext(r.URL.Path)] {
		h.Add("Vary", "Accept-Encoding")
		if gz := a.gzipped(); gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = gz, strings.TrimSuffix(a.etag, `"`)+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip.
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return !(strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q=0"), ".0") == "")
	}
	return false
}

// contentSecurityPolicy is the policy the page needs: its own origin only,
// inline styles (React and CodeMirror set style attributes) and data:
// images (GraphiQL's stylesheet has a few). An absolute endpoint on another
// origin is added to connect-src.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"font-src 'self'; connect-src " + connect + "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
