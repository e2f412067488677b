package schema

import (
	"crypto/rand"
	"math/big"
)

// statsKey draws a returnee's permanent record key for cell-key
// perturbation: uniform in 0..255, from crypto/rand so that nobody can
// predict the noise of a cell from the order of records.
func statsKey() int {
	n, err := rand.Int(rand.Reader, big.NewInt(256))
	if err != nil {
		panic(err)
	}
	return int(n.Int64())
}
