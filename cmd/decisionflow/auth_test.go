package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
	"time"

	"decisionflow/config"
	"decisionflow/procedure"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// TestTokenVerifier_JWKS verifies an EdDSA token from an identity provider whose keys come as
// a JWKS file.
func TestTokenVerifier_JWKS(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "jwks.json")
	jwks := `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"idp-1","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}]}`
	require.NoError(t, os.WriteFile(path, []byte(jwks), 0o600))
	v, err := tokenVerifier("api", config.Config{Auth: config.Auth{PublicKeys: path, Issuer: "https://idp.example.gov.cn"}})
	require.NoError(t, err)

	claims := jwt.MapClaims{"sub": "wang", "iss": "https://idp.example.gov.cn", "exp": time.Now().Add(time.Hour).Unix(), "roles": []string{"legal_counsel"}}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	tok.Header["kid"] = "idp-1"
	signed, err := tok.SignedString(priv)
	require.NoError(t, err)
	c, err := v.Verify(signed)
	require.NoError(t, err)
	require.Equal(t, []procedure.Role{procedure.RoleLegalCounsel}, c.Roles)

	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("guess"))
	_, err = v.Verify(hs)
	require.Error(t, err, "an HMAC token is refused where keys are configured")

	require.NoError(t, os.WriteFile(path, []byte(`{"keys":[]}`), 0o600))
	_, err = tokenVerifier("api", config.Config{Auth: config.Auth{PublicKeys: path}})
	require.Error(t, err)
}
