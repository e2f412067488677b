package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/ratelimit"
	"github.com/rdrr-project/rdrr/internal/reqid"
	"github.com/rdrr-project/rdrr/internal/server/explorer"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/webhook"
)

// Handler returns the HTTP handler of the whole server.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", cors(s.cfg.CORSOrigins, s.graphqlEndpoint()))
	mux.Handle("/reports/statistics.csv", cors(s.cfg.CORSOrigins, s.statisticsCSV()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.ready)
	ex := explorer.Handler("/graphql")
	mux.Handle("GET /{$}", ex)
	mux.Handle("GET /explorer/", ex)
	return withRequestID(securityHeaders(mux))
}

// ready answers 200 when the database answers within 2 seconds.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// graphqlEndpoint accepts POST application/json only (no GET, forms,
// multipart or text/plain: those are the CSRF vectors), checks the body,
// authenticates, applies the rate limits, and runs the operation within the
// request timeout.
func (s *Server) graphqlEndpoint() http.Handler {
	gql := s.executor()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			// Subscriptions: the WebSocket transport checks the Origin and
			// authenticates the connection_init payload (sockets.go).
			gql.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, apperr.Invalid("", "use POST with a JSON body"))
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, apperr.Invalid("", "Content-Type must be application/json"))
			return
		}
		body, berr, status := readBody(w, r, s.cfg.MaxBodyBytes)
		if berr != nil {
			writeError(w, status, berr)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		ctx, cancel, ok := s.admit(w, r)
		if !ok {
			return
		}
		defer cancel()
		ctx = graph.WithLoaders(ctx, s.Store.Client)
		if s.orgs != nil {
			ctx = ent.WithOrganisationCache(ctx, s.orgs)
		}
		gql.ServeHTTP(w, r.WithContext(ctx))
	})
}

// admit reads the declared purpose of use, starts the request timeout,
// authenticates the request and takes its rate-limit tokens. It returns the
// request context carrying the viewer and an audit collector, and the
// function that ends the timeout; or it answers the refusal itself and
// reports false.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) (context.Context, context.CancelFunc, bool) {
	purpose, perr := purposeOfUse(r)
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr)
		return nil, nil, false
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
	ctx, _ = audit.NewContext(ctx, purpose)
	v, err := s.auth.Authenticate(ctx, r.Header.Get("Authorization"))
	if err != nil {
		s.refuseLogin(w, r.WithContext(ctx), err, purpose)
		cancel()
		return nil, nil, false
	}
	if s.cfg.BenchmarkWithoutPolicy {
		v = viewer.System()
	} else if !s.allow(w, ratelimit.User, string(v.UserID)) || !s.allow(w, ratelimit.Org, string(v.OrgID)) {
		cancel()
		return nil, nil, false
	}
	return viewer.NewContext(ctx, v), cancel, true
}

// refuseLogin answers an authentication failure: audited, and limited per
// client address so a flood of bad tokens cannot flood the audit trail.
func (s *Server) refuseLogin(w http.ResponseWriter, r *http.Request, err error, purpose string) {
	ctx := r.Context()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeUnauthenticated {
		s.cfg.Log.ErrorContext(ctx, "authenticating", "err", err, "request_id", reqid.From(ctx))
		if store.Unavailable(err) {
			writeError(w, http.StatusServiceUnavailable, &apperr.Error{Code: apperr.CodeInternal, Message: "database unavailable"})
			return
		}
		writeError(w, http.StatusInternalServerError, apperr.Internal(err))
		return
	}
	if !s.allow(w, ratelimit.IP, clientAddr(r)) {
		return
	}
	if aerr := s.auditLoginFailure(ctx, err, purpose); aerr != nil {
		s.cfg.Log.ErrorContext(ctx, "auditing a failed login", "err", aerr)
		writeError(w, http.StatusInternalServerError, apperr.Internal(aerr))
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="rdrr"`)
	writeError(w, http.StatusUnauthorized, e)
}

// allow takes a rate-limit token, or answers 429 RATE_LIMITED with
// Retry-After and reports false.
func (s *Server) allow(w http.ResponseWriter, k ratelimit.Kind, key string) bool {
	if s.limiter == nil {
		return true
	}
	ok, wait := s.limiter.Allow(k, key)
	if ok {
		return true
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, &apperr.Error{
		Code: apperr.CodeRateLimited, Message: "too many requests; retry after " + strconv.Itoa(secs) + " s",
		Extra: map[string]any{"retryAfter": secs},
	})
	return false
}

// clientAddr is the peer address without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// executor builds the gqlgen server by hand (handler.NewDefaultServer is
// deprecated and would enable GET, multipart and websocket transports
// we do not want here).
func (s *Server) executor() http.Handler {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{
		Client:        s.Store.Client,
		Authz:         s.Authz,
		Log:           s.cfg.Log,
		BreakGlassFor: s.cfg.BreakGlassFor,
		Counts:        s.counts,
		Audit:         s.trail,
		Bus:           s.Bus,
		Webhooks:      s.hooks,
		WebhookGuard:  webhook.Guard{Allow: s.cfg.WebhookAllow},
		Stats:         s.stats,
	}})
	h := handler.New(es)
	use := func(ext graphql.HandlerExtension) {
		noFieldInterceptor(ext)
		h.Use(ext)
	}
	h.AddTransport(postTransport{})
	h.AddTransport(s.websocketTransport())
	h.SetQueryCache(graph.PageDefaultsCache{Inner: lru.New[*ast.QueryDocument](1000)})
	if s.cfg.Introspection {
		use(extension.Introspection{}) // only ever for authenticated users: every request is
	}
	h.SetParserTokenLimit(s.cfg.MaxTokens)
	use(graph.PerOperation{})
	use(graph.PageSizeLimit{})
	use(graph.QueryLimits{Limits: s.cfg.QueryLimits})
	use(graph.AuditExtension{Trail: s.trail})
	if s.pins != nil {
		use(ReplicaRouting{pins: s.pins, bus: s.Bus})
	}
	h.SetDisableSuggestion(!s.cfg.Development)
	h.SetErrorPresenter(graph.ErrorPresenter(s.cfg.Log))
	h.SetRecoverFunc(func(ctx context.Context, v any) error {
		s.cfg.Log.ErrorContext(ctx, "panic in resolver", "panic", v, "request_id", reqid.From(ctx), "stack", string(debug.Stack()))
		return apperr.Internal(fmt.Errorf("panic: %v", v))
	})
	return h
}

// writeError answers with a GraphQL-shaped error body outside the executor.
func writeError(w http.ResponseWriter, status int, e *apperr.Error) {
	ext := map[string]any{"code": string(e.Code)}
	if e.Field != "" {
		ext["field"] = e.Field
	}
	for k, v := range e.Extra {
		ext[k] = v
	}
	msg := e.Message
	if e.Code == apperr.CodeInternal && msg != "database unavailable" {
		msg = "internal error"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": ext}},
	})
}

// noFieldInterceptor panics when ext is a field middleware: the generated
// executor marshals plain leaf fields (a struct field of a scalar or enum
// type) without gqlgen's per-field machinery (internal/gqlpatch, plain.go),
// so such middleware would silently miss most fields. Adding one means
// removing that rewrite first.
func noFieldInterceptor(ext graphql.HandlerExtension) {
	if _, ok := ext.(graphql.FieldInterceptor); ok {
		panic(fmt.Sprintf("handler extension %s is a graphql.FieldInterceptor, which plain leaf fields bypass (internal/gqlpatch/plain.go)", ext.ExtensionName()))
	}
}
