package procedure

import "time"

// Key is a public key a person registered to sign acts with.
type Key struct {
	// ID is derived from the key (see package signature).
	ID string `json:"id"`
	// Owner is the person's ID.
	Owner string `json:"owner"`
	// Algorithm is "ed25519" or "sm2".
	Algorithm string `json:"algorithm"`
	// PublicKey is the PEM-encoded public key.
	PublicKey string `json:"public_key"`
	// CreatedAt is when it was registered.
	CreatedAt time.Time `json:"created_at"`
	// RevokedAt is when it was revoked; a revoked key signs nothing new.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}
