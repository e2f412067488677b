package stats

import (
	"errors"
	"fmt"
	"time"
)

// Config holds a deployment's disclosure-control parameters
// (docs/disclosure-control.md). The zero value is the project default.
type Config struct {
	// SuppressUpTo is the threshold: counts from 1 up to it are never
	// published, and shares and medians whose population is at most it
	// are suppressed. 0 means DefaultSuppressUpTo; below MinSuppressUpTo
	// is refused.
	SuppressUpTo int
	// MaxNoise is the largest change cell-key perturbation makes to a
	// count (noise is in -MaxNoise..+MaxNoise). 0 means DefaultMaxNoise.
	MaxNoise int
	// NoiseVariance is the variance of the perturbation noise, at most
	// MaxNoise*(MaxNoise+1)/3 (uniform noise). 0 means DefaultNoiseVariance.
	NoiseVariance float64
	// TableSeed shuffles the perturbation table. 0 means the built-in
	// table. Changing it changes every published figure a little; once
	// figures are published under one seed, keep it (two noise draws of
	// the same cell can be averaged).
	TableSeed uint64
	// MaxAge is how long a statistics snapshot answers reports before it
	// is rebuilt from the case records (snapshot.go); a snapshot of an
	// earlier date is always rebuilt. 0 means DefaultMaxAge; a negative
	// value rebuilds it for every report (tests).
	MaxAge time.Duration
	// Now is the clock that fixes the as-of date; nil means time.Now.
	Now func() time.Time
}

// Defaults and limits of Config.
const (
	DefaultSuppressUpTo  = 10
	MinSuppressUpTo      = 3
	DefaultMaxNoise      = 3
	MaxMaxNoise          = 10
	DefaultNoiseVariance = 2.0
	DefaultMaxAge        = 10 * time.Minute
)

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("stats: invalid disclosure-control configuration")

// Normalize fills in defaults and checks the limits. Compute calls it; a
// server should call it at start-up to refuse a bad configuration early.
func (c Config) Normalize() (Config, error) {
	if c.SuppressUpTo == 0 {
		c.SuppressUpTo = DefaultSuppressUpTo
	}
	if c.SuppressUpTo < MinSuppressUpTo {
		return c, fmt.Errorf("%w: SuppressUpTo %d is below the minimum %d", ErrConfig, c.SuppressUpTo, MinSuppressUpTo)
	}
	if c.MaxNoise == 0 {
		c.MaxNoise = DefaultMaxNoise
	}
	if c.MaxNoise < 1 || c.MaxNoise > MaxMaxNoise {
		return c, fmt.Errorf("%w: MaxNoise %d is outside 1..%d", ErrConfig, c.MaxNoise, MaxMaxNoise)
	}
	if c.NoiseVariance == 0 {
		c.NoiseVariance = DefaultNoiseVariance
	}
	if maxVar := float64(c.MaxNoise*(c.MaxNoise+1)) / 3; !(c.NoiseVariance > 0 && c.NoiseVariance <= maxVar) {
		return c, fmt.Errorf("%w: NoiseVariance %g is outside (0, %g] for MaxNoise %d", ErrConfig, c.NoiseVariance, maxVar, c.MaxNoise)
	}
	if c.MaxAge == 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}
