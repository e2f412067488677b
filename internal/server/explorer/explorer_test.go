package explorer

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, client *http.Client, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func mediaType(t *testing.T, res *http.Response) string {
	t.Helper()
	mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("%s: Content-Type %q: %v", res.Request.URL.Path, res.Header.Get("Content-Type"), err)
	}
	return mt
}

var attrRE = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*"([^"]*)"`)

// cdnRE matches URLs on the hosts a GraphiQL page usually loads from
// (graphiql.min.js names jsdelivr and unpkg in an error message, not a URL).
var cdnRE = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]*(unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh|fonts\.googleapis\.com|fonts\.gstatic\.com)`)

func TestPageAndAssets(t *testing.T) {
	srv := httptest.NewServer(Handler("/graphql"))
	defer srv.Close()
	c := srv.Client()

	res, page := get(t, c, srv.URL+"/", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /: status %d", res.StatusCode)
	}
	if mt := mediaType(t, res); mt != "text/html" {
		t.Fatalf("GET /: Content-Type %q", mt)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("GET /: Content-Security-Policy %q", csp)
	}
	html := string(page)
	if strings.Contains(html, "http://") || strings.Contains(html, "https://") || cdnRE.MatchString(html) {
		t.Errorf("page mentions a remote URL:\n%s", html)
	}
	if regexp.MustCompile(`(?is)<script\b[^>]*>\s*[^<\s]`).MatchString(html) {
		t.Error("page has an inline script (the CSP forbids it)")
	}
	if !strings.Contains(html, `data-endpoint="/graphql"`) {
		t.Error("page does not carry the endpoint")
	}

	var refs []string
	for _, m := range attrRE.FindAllStringSubmatch(html, -1) {
		u := m[2]
		if strings.HasPrefix(u, "data:") { // the empty favicon
			continue
		}
		if !strings.HasPrefix(u, AssetPrefix) {
			t.Errorf("%s=%q is not a same-origin asset URL under %s", m[1], u, AssetPrefix)
			continue
		}
		refs = append(refs, u)
	}
	wantTypes := map[string]bool{}
	var cssRefs []string
	for _, u := range refs {
		res, body := get(t, c, srv.URL+u, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", u, res.StatusCode)
			continue
		}
		if len(body) == 0 {
			t.Errorf("GET %s: empty body", u)
		}
		mt := mediaType(t, res)
		switch {
		case strings.HasSuffix(u, ".js"):
			if mt != "text/javascript" && mt != "application/javascript" {
				t.Errorf("GET %s: Content-Type %q", u, mt)
			}
		case strings.HasSuffix(u, ".css"):
			if mt != "text/css" {
				t.Errorf("GET %s: Content-Type %q", u, mt)
			}
			cssRefs = append(cssRefs, u)
		default:
			t.Errorf("unexpected asset kind %s", u)
		}
		wantTypes[mt] = true
		if cdnRE.Match(body) {
			t.Errorf("GET %s: mentions a CDN", u)
		}
	}
	if !wantTypes["text/css"] || len(refs) < 5 {
		t.Fatalf("page references too few assets: %v", refs)
	}

	// Fonts and images referenced from the stylesheets are served too, and
	// none is inline (data: fonts are blocked by font-src 'self').
	urlRE := regexp.MustCompile(`url\(\s*["']?([^"')]+)`)
	fonts := 0
	for _, u := range cssRefs {
		_, css := get(t, c, srv.URL+u, nil)
		if bytes.Contains(css, []byte("data:font")) {
			t.Errorf("%s inlines a font", u)
		}
		for _, m := range urlRE.FindAllSubmatch(css, -1) {
			ref := string(m[1])
			if strings.HasPrefix(ref, "data:image/") {
				continue
			}
			if strings.Contains(ref, ":") || strings.HasPrefix(ref, "/") {
				t.Errorf("%s: url(%s) is not relative", u, ref)
				continue
			}
			full := u[:strings.LastIndex(u, "/")+1] + ref
			res, _ := get(t, c, srv.URL+full, nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %s (from %s): status %d", full, u, res.StatusCode)
			}
			if mt := mediaType(t, res); strings.HasPrefix(mt, "font/") {
				fonts++
			} else {
				t.Errorf("GET %s: Content-Type %q", full, mt)
			}
		}
	}
	if fonts == 0 {
		t.Error("no font served from the stylesheets")
	}
}

func TestNotFound(t *testing.T) {
	srv := httptest.NewServer(Handler("/graphql"))
	defer srv.Close()
	for _, p := range []string{
		"/explorer/assets/",
		"/explorer/assets/nope.js",
		"/explorer/assets/graphiql.min.js.map",
		"/explorer/assets/fonts/",
		"/explorer/assets/fonts/nope.woff2",
		"/explorer/assets/assets/explorer.js",
		"/explorer/",
		"/explorer/explorer.js",
		"/index.html",
	} {
		res, _ := get(t, srv.Client(), srv.URL+p, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv := httptest.NewServer(Handler("/graphql"))
	defer srv.Close()
	for _, p := range []string{"/", "/explorer/assets/explorer.js"} {
		res, err := srv.Client().Post(srv.URL+p, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: status %d, want 405", p, res.StatusCode)
		}
	}
}

func TestEndpointIsEscaped(t *testing.T) {
	srv := httptest.NewServer(Handler(`/graphql"><script>alert(1)</script>`))
	defer srv.Close()
	_, page := get(t, srv.Client(), srv.URL+"/", nil)
	if bytes.Contains(page, []byte("<script>alert")) {
		t.Fatal("endpoint is not HTML-escaped")
	}
}

func TestOuterCSPKept(t *testing.T) {
	const outer = "default-src 'self'; frame-ancestors 'none'"
	h := Handler("/graphql")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", outer)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	res, _ := get(t, srv.Client(), srv.URL+"/", nil)
	if got := res.Header.Get("Content-Security-Policy"); got != outer {
		t.Fatalf("Content-Security-Policy %q, want the outer %q", got, outer)
	}
}

func TestGzipAndRevalidation(t *testing.T) {
	srv := httptest.NewServer(Handler("/graphql"))
	defer srv.Close()
	// A transport that does not add Accept-Encoding itself or decode.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	u := srv.URL + AssetPrefix + "graphiql.min.js"

	plainRes, plain := get(t, c, u, nil)
	if plainRes.Header.Get("Content-Encoding") != "" {
		t.Fatalf("gzip without Accept-Encoding")
	}
	gzRes, gz := get(t, c, u, map[string]string{"Accept-Encoding": "br, gzip"})
	if gzRes.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip for Accept-Encoding: gzip")
	}
	if len(gz) >= len(plain) {
		t.Errorf("gzipped %d bytes, plain %d", len(gz), len(plain))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unzipped, plain) {
		t.Error("gzipped body differs from the plain one")
	}
	if plainRes.Header.Get("ETag") == gzRes.Header.Get("ETag") {
		t.Error("same ETag for both encodings")
	}
	if !strings.Contains(gzRes.Header.Get("Vary"), "Accept-Encoding") {
		t.Error("no Vary: Accept-Encoding")
	}
	res, _ := get(t, c, u, map[string]string{"If-None-Match": plainRes.Header.Get("ETag")})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
	}
	res, _ = get(t, c, u, map[string]string{"Accept-Encoding": "gzip;q=0"})
	if res.Header.Get("Content-Encoding") != "" {
		t.Error("gzip despite gzip;q=0")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{
		"":                   false,
		"gzip":               true,
		"GZIP":               true,
		"deflate, gzip":      true,
		"gzip;q=0":           false,
		"gzip; q=0.000":      false,
		"gzip;q=0.5":         true,
		"br":                 false,
		"x-gzip":             false,
		"identity, gzip;q=1": true,
	} {
		if got := acceptsGzip(ae); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", ae, got, want)
		}
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	if got := contentSecurityPolicy("/graphql"); !strings.Contains(got, "connect-src 'self';") {
		t.Errorf("relative endpoint: %s", got)
	}
	if got := contentSecurityPolicy("https://api.example.org/graphql"); !strings.Contains(got, "connect-src 'self' https://api.example.org;") {
		t.Errorf("absolute endpoint: %s", got)
	}
}
