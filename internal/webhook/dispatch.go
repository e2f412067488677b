package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/webhookdelivery"
)

// MaxAttempts is how many times a delivery is tried before it is FAILED.
const MaxAttempts = 8

// Sign returns the X-Rdrr-Signature value of body sent at ts.
func Sign(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Backoff is the wait before attempt n+1 (n >= 1): base, 2 base, 4 base,
// ... up to an hour.
func Backoff(base time.Duration, n int) time.Duration {
	d := base << min(n-1, 10)
	return min(d, time.Hour)
}

// Dispatcher sends pending deliveries. Several processes may run one each:
// a delivery is claimed (its next attempt pushed a lease ahead) in a short
// transaction that skips rows another process has locked.
type Dispatcher struct {
	client  *ent.Client
	dialect string
	http    *http.Client
	log     *slog.Logger
	poke    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	// Now is the clock; tests move it.
	Now func() time.Time
	// RetryBase is the first retry's delay.
	RetryBase time.Duration
}

// NewDispatcher starts a dispatcher that checks for due deliveries every
// interval and whenever poked.
func NewDispatcher(client *ent.Client, dialectName string, guard Guard, log *slog.Logger, interval, retryBase time.Duration) *Dispatcher {
	if retryBase <= 0 {
		retryBase = 5 * time.Second
	}
	d := &Dispatcher{
		client: client, dialect: dialectName, log: log,
		http: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{DialContext: guard.DialContext, TLSHandshakeTimeout: 5 * time.Second, MaxIdleConns: 10},
			// No redirects: a redirect could lead inside the network.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		Now: func() time.Time { return time.Now().UTC() }, RetryBase: retryBase,
	}
	go d.loop(interval)
	return d
}

// Poke asks for a round soon (after new deliveries were committed).
func (d *Dispatcher) Poke() {
	select {
	case d.poke <- struct{}{}:
	default:
	}
}

// Close stops the dispatcher.
func (d *Dispatcher) Close() {
	close(d.stop)
	<-d.done
}

func (d *Dispatcher) loop(interval time.Duration) {
	defer close(d.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
		case <-d.poke:
		}
		for {
			n, err := d.Round(context.Background())
			if err != nil {
				d.log.Warn("webhook round failed", "err", err)
			}
			if n == 0 || err != nil {
				break
			}
		}
	}
}

// lease is how long a claimed delivery is left to its claimant.
const lease = time.Minute

// Round claims up to 20 due deliveries and attempts each. It returns how
// many it attempted.
func (d *Dispatcher) Round(ctx context.Context) (int, error) {
	ctx = viewer.SystemContext(ctx)
	now := d.Now()
	tx, err := d.client.Tx(ctx)
	if err != nil {
		return 0, err
	}
	q := tx.WebhookDelivery.Query().
		Where(webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING), webhookdelivery.NextAttemptAtLTE(now)).
		Order(ent.Asc(webhookdelivery.FieldNextAttemptAt)).Limit(20).WithWebhook()
	if d.dialect == dialect.Postgres {
		q = q.ForUpdate(sqlSkipLocked)
	}
	due, err := q.All(ctx)
	if err != nil {
		_ = tx.Rollback()
		return 0, fmt.Errorf("claiming deliveries: %w", err)
	}
	for _, del := range due {
		if err := tx.WebhookDelivery.UpdateOne(del).SetNextAttemptAt(now.Add(lease)).AddAttempts(1).Exec(ctx); err != nil {
			_ = tx.Rollback()
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	for _, del := range due {
		d.attempt(ctx, del, del.Attempts+1)
	}
	return len(due), nil
}

func (d *Dispatcher) attempt(ctx context.Context, del *ent.WebhookDelivery, attempt int) {
	wh := del.Edges.Webhook
	code, err := d.send(ctx, wh, del)
	now := d.Now()
	up := d.client.WebhookDelivery.UpdateOneID(del.ID).SetLastStatusCode(code)
	switch {
	case err == nil && code >= 200 && code < 300:
		up.SetStatus(webhookdelivery.StatusDELIVERED).SetDeliveredAt(now).SetLastError("")
	case attempt >= MaxAttempts || wh == nil || !wh.Active:
		up.SetStatus(webhookdelivery.StatusFAILED).SetLastError(errText(err, code))
	default:
		up.SetNextAttemptAt(now.Add(Backoff(d.RetryBase, attempt))).SetLastError(errText(err, code))
	}
	if err := up.Exec(ctx); err != nil {
		d.log.Warn("recording a webhook attempt", "delivery", del.ID, "err", err)
	}
}

func errText(err error, code int) string {
	if err != nil {
		s := err.Error()
		if len(s) > 500 {
			s = s[:500]
		}
		return s
	}
	return "HTTP " + strconv.Itoa(code)
}

func (d *Dispatcher) send(ctx context.Context, wh *ent.Webhook, del *ent.WebhookDelivery) (int, error) {
	if wh == nil || !wh.Active {
		return 0, fmt.Errorf("webhook inactive")
	}
	body := []byte(del.Payload)
	ts := strconv.FormatInt(d.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "rdrr-webhooks/1")
	req.Header.Set("X-Rdrr-Event", del.Event)
	req.Header.Set("X-Rdrr-Delivery", string(del.ID))
	req.Header.Set("X-Rdrr-Timestamp", ts)
	req.Header.Set("X-Rdrr-Signature", Sign([]byte(wh.Secret), ts, body))
	resp, err := d.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// sqlSkipLocked lets processes claim different deliveries concurrently.
var sqlSkipLocked = entsql.WithLockAction(entsql.SkipLocked)
