package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"decisionflow/api"
	"decisionflow/config"
	"decisionflow/procedure"
)

// SecretFile holds the generated token secret in the data directory under dev.
const SecretFile = "jwt-secret"

// demoUsers are the people `decisionflow dev` offers for trying every role; `decisionflow
// token --user ID` prints a token for one of them.
var demoUsers = []procedure.Actor{
	{ID: "head", Name: "张区长", Unit: "区人民政府", Roles: []procedure.Role{procedure.RoleHead}},
	{ID: "li", Name: "李科长", Unit: "区住建委", Roles: []procedure.Role{procedure.RoleOfficial}},
	{ID: "wang", Name: "王处长", Unit: "区司法局", Roles: []procedure.Role{procedure.RoleLegalCounsel}},
	{ID: "zhao", Name: "赵律师", Unit: "法律顾问室", Roles: []procedure.Role{procedure.RoleLegalAdviser}},
	{ID: "expert1", Name: "专家一", Roles: []procedure.Role{procedure.RoleExpert}},
	{ID: "expert2", Name: "专家二", Roles: []procedure.Role{procedure.RoleExpert}},
	{ID: "expert3", Name: "专家三", Roles: []procedure.Role{procedure.RoleExpert}},
	{ID: "expert4", Name: "专家四", Roles: []procedure.Role{procedure.RoleExpert}},
	{ID: "expert5", Name: "专家五", Roles: []procedure.Role{procedure.RoleExpert}},
	{ID: "qian", Name: "钱评估师", Unit: "社会稳定风险评估中心", Roles: []procedure.Role{procedure.RoleRiskAssessor}},
	{ID: "sun", Name: "孙秘书", Unit: "区政府办公室", Roles: []procedure.Role{procedure.RoleMeetingSecretary}},
	{ID: "zhou", Name: "周联络员", Unit: "区委办公室", Roles: []procedure.Role{procedure.RolePartyLiaison}},
	{ID: "wu", Name: "吴审计", Unit: "区审计局", Roles: []procedure.Role{procedure.RoleAuditor}},
	{ID: "admin", Name: "系统管理员", Roles: []procedure.Role{procedure.RoleAdmin}},
}

func demoUser(id string) (procedure.Actor, bool) {
	for _, u := range demoUsers {
		if u.ID == id {
			return u, true
		}
	}
	return procedure.Actor{}, false
}

// tokenVerifier builds the API's token verifier from the configuration. Under dev without a
// configured key, the HMAC secret is generated once into the data directory.
func tokenVerifier(cmd string, cfg config.Config) (*api.Verifier, error) {
	if cfg.Auth.PublicKeys != "" {
		keys, err := loadPublicKeys(cfg.Auth.PublicKeys)
		if err != nil {
			return nil, &config.Error{Setting: "DECISIONFLOW_JWT_PUBLIC_KEYS (--jwt-public-keys)", Problem: err.Error()}
		}
		return api.NewKeyVerifier(keys, cfg.Auth.Issuer, cfg.Auth.Audience), nil
	}
	secret, err := tokenSecret(cfg, cmd == "dev")
	if err != nil {
		return nil, err
	}
	return api.NewHMACVerifier(secret, cfg.Auth.Issuer, cfg.Auth.Audience), nil
}

// tokenSecret returns the configured secret, or the data directory's, creating it if asked.
func tokenSecret(cfg config.Config, create bool) ([]byte, error) {
	if cfg.Auth.Secret != "" {
		return []byte(cfg.Auth.Secret), nil
	}
	path := filepath.Join(cfg.DataDir, SecretFile)
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 32 {
		return b, nil
	}
	if !errors.Is(err, os.ErrNotExist) || !create {
		return nil, &config.Error{Setting: "DECISIONFLOW_JWT_SECRET (--jwt-secret)", Problem: "no token secret set and none in " + path}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, secret, 0o600); err != nil {
		return nil, fmt.Errorf("write token secret: %w", err)
	}
	return secret, nil
}

// loadPublicKeys reads a JWKS (JSON) file, or PEM public keys, each known by its "kid" or by
// the SHA-256 of its DER encoding.
func loadPublicKeys(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return parseJWKS(b)
	}
	keys := map[string]any{}
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		sum := sha256.Sum256(block.Bytes)
		keys[hex.EncodeToString(sum[:8])] = k
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no PEM public key found", path)
	}
	return keys, nil
}

// jwk is one key of a JWKS: RSA (n, e) or Ed25519 (OKP, x).
type jwk struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
}

// parseJWKS reads the RSA and Ed25519 keys of a JSON Web Key Set (RFC 7517).
func parseJWKS(b []byte) (map[string]any, error) {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	keys := map[string]any{}
	for i, k := range set.Keys {
		id := k.Kid
		if id == "" {
			id = fmt.Sprintf("key-%d", i)
		}
		switch {
		case k.Kty == "RSA":
			n, err1 := base64.RawURLEncoding.DecodeString(k.N)
			e, err2 := base64.RawURLEncoding.DecodeString(k.E)
			if err1 != nil || err2 != nil || len(e) == 0 || len(e) > 4 {
				return nil, fmt.Errorf("JWKS key %s: bad RSA modulus or exponent", id)
			}
			keys[id] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		case k.Kty == "OKP" && k.Crv == "Ed25519":
			x, err := base64.RawURLEncoding.DecodeString(k.X)
			if err != nil || len(x) != ed25519.PublicKeySize {
				return nil, fmt.Errorf("JWKS key %s: bad Ed25519 key", id)
			}
			keys[id] = ed25519.PublicKey(x)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("JWKS holds no RSA or Ed25519 key")
	}
	return keys, nil
}
