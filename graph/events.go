package graph

import (
	"context"
	"encoding/json"
	"time"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Bus topics of live updates.
const (
	TopicReferral = "referral"
	TopicCase     = "case"
)

// referralMsg announces a referral transition.
type referralMsg struct {
	Referral   gid.ID `json:"r"`
	Transition gid.ID `json:"t"`
	From       gid.ID `json:"f"`
	To         gid.ID `json:"o"`
}

// caseMsg announces a change to a case.
type caseMsg struct {
	Returnee gid.ID    `json:"r"`
	Kind     string    `json:"k"`
	At       time.Time `json:"a"`
}

// afterCommit runs f once tx has committed (never if it rolls back): live
// updates and webhooks announce only what is durable.
func afterCommit(tx *ent.Tx, f func()) {
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(ctx, tx); err != nil {
				return err
			}
			f()
			return nil
		})
	})
}

// announce publishes a message on the bus, logging failures: the change is
// committed either way, and subscribers re-read the database.
func (r *Resolver) announce(topic string, msg any) {
	if r.Bus == nil {
		return
	}
	b, err := json.Marshal(msg)
	if err == nil {
		err = r.Bus.Publish(context.Background(), topic, b)
	}
	if err != nil {
		r.Log.Warn("announcing a change", "topic", topic, "err", err)
	}
}

// announceCase publishes a case change after tx commits.
func (r *Resolver) announceCase(tx *ent.Tx, returnee gid.ID, kind string) {
	afterCommit(tx, func() { r.announce(TopicCase, caseMsg{Returnee: returnee, Kind: kind, At: time.Now().UTC()}) })
}
