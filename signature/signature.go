// Package signature signs and verifies acts: a detached signature by a person's registered key
// over the act's canonical JSON (RFC 8785). Ed25519 is the standard; SM2 with SM3 (GB/T 32918)
// is accepted as well, since Chinese government e-signatures use it.
package signature

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/gowebpki/jcs"
)

// Algorithms.
const (
	// Ed25519 is the standard algorithm.
	Ed25519 = "ed25519"
	// SM2 is SM2 with SM3 and the default user ID (GB/T 32918.2).
	SM2 = "sm2"
)

// Version is the version of what an act's signature covers. Version 1 covered the act's body
// alone, so a signed body could be sent to another decision or act; version 2 covers an
// envelope that binds the body to its act (see Message). Records keep the exact bytes signed,
// so signatures of either version verify as recorded; new acts take version 2 only.
const Version = 2

// Canonical returns the RFC 8785 canonical form of a JSON document.
func Canonical(doc []byte) ([]byte, error) {
	out, err := jcs.Transform(doc)
	if err != nil {
		return nil, fmt.Errorf("canonicalise JSON: %w", err)
	}
	return out, nil
}

// Envelope is what an act's signature covers: the act's body bound to the act it is for.
type Envelope struct {
	// V is the signature format's version, Version.
	V int `json:"v"`
	// Act is the act's route, e.g. /api/v1/decisions/BD-2026-007/risk/1/risk-report: it names
	// the decision, the procedure and round (whose workflow works on one draft version only)
	// and the act.
	Act string `json:"act"`
	// Nonce is the request's Idempotency-Key, so the same signature cannot stand for a second
	// act of the same kind; empty when the request sends none.
	Nonce string `json:"nonce"`
	// Body is the act's JSON body as sent.
	Body json.RawMessage `json:"body"`
}

// Message returns the bytes an act's signature covers: the canonical form (RFC 8785) of the
// envelope binding body to act and nonce. A body that is not JSON is an error.
func Message(act, nonce string, body []byte) ([]byte, error) {
	if !json.Valid(body) {
		return nil, errors.New("the body is not valid JSON")
	}
	doc, err := json.Marshal(Envelope{V: Version, Act: act, Nonce: nonce, Body: body})
	if err != nil {
		return nil, err
	}
	return Canonical(doc)
}

// PublicKey is a parsed public key.
type PublicKey struct {
	// ID is the hex of the first 8 bytes of the SHA-256 of the key's DER encoding.
	ID string
	// Algorithm is Ed25519 or SM2.
	Algorithm string
	// PEM is the key as registered.
	PEM string
	key crypto.PublicKey
}

// ParsePublicKey reads one PEM public key (PKIX), Ed25519 or SM2.
func ParsePublicKey(pemText string) (PublicKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return PublicKey{}, errors.New("no PEM block")
	}
	k, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return PublicKey{}, fmt.Errorf("parse public key: %w", err)
	}
	alg, err := algorithmOf(k)
	if err != nil {
		return PublicKey{}, err
	}
	sum := sha256.Sum256(block.Bytes)
	return PublicKey{ID: hex.EncodeToString(sum[:8]), Algorithm: alg, PEM: string(pem.EncodeToMemory(block)), key: k}, nil
}

func algorithmOf(k crypto.PublicKey) (string, error) {
	switch k := k.(type) {
	case ed25519.PublicKey:
		return Ed25519, nil
	case *ecdsa.PublicKey:
		if k.Curve == sm2.P256() {
			return SM2, nil
		}
	}
	return "", fmt.Errorf("unsupported key type %T: use Ed25519 or SM2", k)
}

// Verify checks a base64 signature over msg.
func (p PublicKey) Verify(msg []byte, sigBase64 string) error {
	sig, err := base64.StdEncoding.DecodeString(sigBase64)
	if err != nil {
		return errors.New("signature is not base64")
	}
	ok := false
	switch k := p.key.(type) {
	case ed25519.PublicKey:
		ok = ed25519.Verify(k, msg, sig)
	case *ecdsa.PublicKey:
		ok = sm2.VerifyASN1WithSM2(k, nil, msg, sig)
	}
	if !ok {
		return errors.New("signature does not verify")
	}
	return nil
}

// GenerateKey makes a key pair and returns the private key (PKCS #8) and public key (PKIX) as PEM.
func GenerateKey(algorithm string) (privatePEM, publicPEM string, err error) {
	var priv any
	var pub any
	switch algorithm {
	case Ed25519:
		p, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return "", "", err
		}
		priv, pub = k, p
	case SM2:
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return "", "", err
		}
		priv, pub = k, &k.PublicKey
	default:
		return "", "", fmt.Errorf("unknown algorithm %q: use %s or %s", algorithm, Ed25519, SM2)
	}
	privDER, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", "", err
	}
	pubDER, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), nil
}

// Sign signs msg with a PEM private key (PKCS #8, Ed25519 or SM2) and returns the signature in base64.
func Sign(privatePEM string, msg []byte) (string, error) {
	block, _ := pem.Decode([]byte(privatePEM))
	if block == nil {
		return "", errors.New("no PEM block")
	}
	k, err := smx509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return "", fmt.Errorf("parse private key: %w", err)
	}
	var sig []byte
	switch k := k.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, msg)
	case *sm2.PrivateKey:
		if sig, err = k.Sign(rand.Reader, msg, sm2.NewSM2SignerOption(true, nil)); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("unsupported key type %T", k)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}
