package server

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/reqid"
	"github.com/rdrr-project/rdrr/internal/server/explorer"
)

// Handler returns the HTTP handler of the whole server.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", s.graphqlEndpoint())
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
// multipart or text/plain: those are the CSRF vectors), authenticates, and
// runs the operation.
func (s *Server) graphqlEndpoint() http.Handler {
	gql := s.executor()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, apperr.Invalid("", "use POST with a JSON body"))
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, apperr.Invalid("", "Content-Type must be application/json"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		purpose, perr := purposeOfUse(r)
		if perr != nil {
			writeError(w, http.StatusBadRequest, perr)
			return
		}
		ctx, _ := audit.NewContext(r.Context(), purpose)
		v, err := s.auth.Authenticate(ctx, r.Header.Get("Authorization"))
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeUnauthenticated {
				s.cfg.Log.ErrorContext(ctx, "authenticating", "err", err, "request_id", reqid.From(ctx))
				writeError(w, http.StatusInternalServerError, apperr.Internal(err))
				return
			}
			if aerr := s.auditLoginFailure(ctx, err, purpose); aerr != nil {
				s.cfg.Log.ErrorContext(ctx, "auditing a failed login", "err", aerr)
				writeError(w, http.StatusInternalServerError, apperr.Internal(aerr))
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="rdrr"`)
			writeError(w, http.StatusUnauthorized, e)
			return
		}
		if s.cfg.BenchmarkWithoutPolicy {
			v = viewer.System()
		}
		ctx = viewer.NewContext(ctx, v)
		ctx = graph.WithLoaders(ctx, s.Store.Client)
		gql.ServeHTTP(w, r.WithContext(ctx))
	})
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
	}})
	h := handler.New(es)
	h.AddTransport(transport.POST{})
	h.SetQueryCache(graph.PageDefaultsCache{Inner: lru.New[*ast.QueryDocument](1000)})
	h.Use(extension.Introspection{})
	h.Use(graph.PageSizeLimit{})
	h.Use(graph.AuditExtension{Trail: s.trail})
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
	for k, v := range e.Extra {
		ext[k] = v
	}
	msg := e.Message
	if e.Code == apperr.CodeInternal {
		msg = "internal error"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": ext}},
	})
}
