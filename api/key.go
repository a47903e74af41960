package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"decisionflow/procedure"
	"decisionflow/signature"

	"github.com/labstack/echo/v4"
)

// RegisterKeyRequest registers the caller's public key.
type RegisterKeyRequest struct {
	// PublicKey is a PEM (PKIX) Ed25519 or SM2 public key.
	PublicKey string `json:"public_key"`
}

func (s *Server) keyRoutes(v1 *echo.Group) {
	v1.POST("/keys", s.registerKey, requireRoles(), validate(s.spec.add(http.MethodPost, "/api/v1/keys", "登记签名公钥 / register a signing key", RegisterKeyRequest{}, nil,
		returns(http.StatusCreated, procedure.Key{}))))
	v1.GET("/keys", s.ownKeys)
	s.spec.get("/api/v1/keys", "我的签名密钥 / the caller's signing keys", []procedure.Key{})
	v1.GET("/keys/:id", s.key)
	s.spec.get("/api/v1/keys/:id", "签名密钥 / a signing key", procedure.Key{})
	v1.POST("/keys/:id/revoke", s.revokeKey, requireRoles())
	s.spec.add(http.MethodPost, "/api/v1/keys/:id/revoke", "吊销签名密钥 / revoke a signing key", nil, nil, returns(http.StatusOK, procedure.Key{}))
}

// registerKey registers a public key for the caller; acts the rules require signed are then
// verified against it.
func (s *Server) registerKey(c echo.Context) error {
	var req RegisterKeyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pk, err := signature.ParsePublicKey(req.PublicKey)
	if err != nil {
		return procedure.Errorf(procedure.EInvalid, "公钥无效（须为 PEM 格式的 Ed25519 或 SM2 公钥）：%v", "invalid public key (PEM Ed25519 or SM2 expected): %v", err)
	}
	k := procedure.Key{ID: pk.ID, Owner: actorOf(c).ID, Algorithm: pk.Algorithm, PublicKey: pk.PEM, CreatedAt: time.Now()}
	if err := s.store.RegisterKey(c.Request().Context(), k); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, k)
}

func (s *Server) ownKeys(c echo.Context) error {
	keys, err := s.store.Keys(c.Request().Context(), actorOf(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, keys)
}

// key answers any registered key: public keys are public, so anyone can check a signature.
func (s *Server) key(c echo.Context) error {
	k, err := s.store.Key(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, k)
}

// revokeKey lets the owner, or an administrator, revoke a key.
func (s *Server) revokeKey(c echo.Context) error {
	ctx := c.Request().Context()
	k, err := s.store.Key(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	a := actorOf(c)
	if k.Owner != a.ID && !a.Has(procedure.RoleAdmin) {
		return procedure.Errorf(procedure.EPermissionDenied, "只能吊销本人的公钥", "you may revoke only your own keys")
	}
	if err := s.store.RevokeKey(ctx, k.ID, time.Now()); err != nil {
		return err
	}
	k, err = s.store.Key(ctx, k.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, k)
}

// verifySignature checks the Signature header of a signed act — keyId="…", signature="…",
// over the RFC 8785 form of the body — against the actor's registered, unrevoked key, and
// returns the signature as it goes on the record.
func (s *Server) verifySignature(c echo.Context, body []byte) (*procedure.Signature, error) {
	keyID, sig := parseSignatureHeader(c.Request().Header.Get("Signature"))
	if keyID == "" || sig == "" {
		return nil, procedure.Errorf(procedure.EInvalid, "此办理行为须签名：缺少 Signature 请求头（keyId、signature）",
			"this act must be signed: the Signature header (keyId, signature) is missing")
	}
	k, err := s.store.Key(c.Request().Context(), keyID)
	switch {
	case procedure.IsCode(err, procedure.ENotFound):
		return nil, procedure.Errorf(procedure.EInvalid, "签名公钥 %s 未登记", "signing key %s is not registered", keyID)
	case err != nil:
		return nil, err
	case k.Owner != actorOf(c).ID:
		return nil, procedure.Errorf(procedure.EInvalid, "签名公钥 %s 不属于办理人", "signing key %s does not belong to the actor", keyID)
	case k.RevokedAt != nil:
		return nil, procedure.Errorf(procedure.EInvalid, "签名公钥 %s 已吊销", "signing key %s is revoked", keyID)
	}
	pk, err := signature.ParsePublicKey(k.PublicKey)
	if err != nil {
		return nil, err
	}
	// The signature covers the body bound to this act of this decision and to the request's
	// Idempotency-Key: a signed body sent to another decision, round or act does not verify.
	msg, err := signature.Message(c.Request().URL.Path, c.Request().Header.Get("Idempotency-Key"), body)
	if err != nil {
		return nil, procedure.Errorf(procedure.EMalformed, "请求体不是有效的 JSON", "the body is not valid JSON")
	}
	if err := pk.Verify(msg, sig); err != nil {
		return nil, procedure.Errorf(procedure.EInvalid, "签名验证失败：签名须覆盖本办理行为的路径、Idempotency-Key 与请求体（signature.Message）：%v",
			"signature check failed: it must cover this act's route, Idempotency-Key and body (signature.Message): %v", err)
	}
	return &procedure.Signature{KeyID: keyID, Algorithm: pk.Algorithm, Value: sig, Body: string(msg)}, nil
}

// recorded writes a signature as the payload's signature field shows it: "alg:keyId:base64".
func recorded(sig *procedure.Signature) string {
	return sig.Algorithm + ":" + sig.KeyID + ":" + sig.Value
}

// verifies reports whether a recorded signature still checks out against its key.
func (s *Server) verifies(ctx context.Context, sig *procedure.Signature, keys map[string]signature.PublicKey) bool {
	pk, ok := keys[sig.KeyID]
	if !ok {
		k, err := s.store.Key(ctx, sig.KeyID)
		if err != nil {
			return false
		}
		if pk, err = signature.ParsePublicKey(k.PublicKey); err != nil {
			return false
		}
		keys[sig.KeyID] = pk
	}
	return pk.Verify([]byte(sig.Body), sig.Value) == nil
}

func parseSignatureHeader(h string) (keyID, sig string) {
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		switch strings.ToLower(k) {
		case "keyid":
			keyID = v
		case "signature":
			sig = v
		}
	}
	return keyID, sig
}

// readBody reads the body once and puts it back for the decoder.
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, malformed(err)
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// setSignature stores the verified signature in the payload's Signature field.
func setSignature(payload any, sig string) any {
	v := reflect.New(reflect.TypeOf(payload)).Elem()
	v.Set(reflect.ValueOf(payload))
	if f := v.FieldByName("Signature"); f.IsValid() && f.Kind() == reflect.String {
		f.SetString(sig)
	}
	return v.Interface()
}
