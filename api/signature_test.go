package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

var counselWang = procedure.Actor{ID: "wang", Roles: []procedure.Role{procedure.RoleLegalCounsel}}

// signer is a person with a registered key.
type signer struct {
	priv, keyID string
}

func register(t *testing.T, f *fixture, who procedure.Actor, alg string) signer {
	priv, pub, err := signature.GenerateKey(alg)
	require.NoError(t, err)
	f.as = &who
	body, _ := json.Marshal(map[string]string{"public_key": pub})
	rec, _ := f.do(http.MethodPost, "/api/v1/keys", jsonType, string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var k procedure.Key
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &k))
	require.Equal(t, alg, k.Algorithm)
	return signer{priv: priv, keyID: k.ID}
}

// signedPost sends body to path signed by s (over signedBody, normally the same, bound to path).
func signedPost(t *testing.T, f *fixture, path, body, signedBody string, s signer) (*httptest.ResponseRecorder, string) {
	msg, err := signature.Message(path, "", []byte(signedBody))
	require.NoError(t, err)
	sig, err := signature.Sign(s.priv, msg)
	require.NoError(t, err)
	return postSigned(f, path, body, "", s.keyID, sig), sig
}

// postSigned sends body to path with a ready Signature header and, if key is set, an
// Idempotency-Key.
func postSigned(f *fixture, path, body, key, keyID, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Authorization", "Bearer "+token(f.t, *f.as))
	req.Header.Set("Signature", `keyId="`+keyID+`", signature="`+sig+`"`)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

// TestSignatures_Replay: a valid signed body and its Signature header, sent to another
// decision, another round, with another Idempotency-Key, or signed the old way over the bare
// body, is refused with 422: the signature binds its act.
func TestSignatures_Replay(t *testing.T) {
	f := newFixture(t)
	wang := register(t, f, counselWang, signature.Ed25519)
	f.as = &counselWang
	updateReturns(f, func(o client.UpdateWorkflowOptions) bool { return o.UpdateName == workflows.UpdateLegalityOpinion },
		workflows.Answer{State: map[string]any{}}, nil)
	sign := func(path, key string, body []byte) string {
		msg, err := signature.Message(path, key, body)
		require.NoError(t, err)
		sig, err := signature.Sign(wang.priv, msg)
		require.NoError(t, err)
		return sig
	}
	sig := sign(opinionPath, "k1", []byte(opinionBody))
	for name, c := range map[string]struct{ path, key string }{
		"another decision": {"/api/v1/decisions/BD-2026-008/legality/1/legality-opinion", "k1"},
		"another round":    {"/api/v1/decisions/BD-2026-007/legality/2/legality-opinion", "k1"},
		"another key":      {opinionPath, "k2"},
		"no key":           {opinionPath, ""},
	} {
		rec := postSigned(f, c.path, opinionBody, c.key, wang.keyID, sig)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "%s: %s", name, rec.Body.String())
		require.Contains(t, rec.Body.String(), "signature check failed", name)
	}
	bare, _ := signature.Canonical([]byte(opinionBody))
	old, err := signature.Sign(wang.priv, bare)
	require.NoError(t, err)
	rec := postSigned(f, opinionPath, opinionBody, "k1", wang.keyID, old)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "a signature over the bare body: %s", rec.Body.String())

	rec = postSigned(f, opinionPath, opinionBody, "k1", wang.keyID, sig)
	require.Equal(t, http.StatusOK, rec.Code, "the act it was made for: %s", rec.Body.String())
}

const opinionPath = "/api/v1/decisions/BD-2026-007/legality/1/legality-opinion"
const opinionBody = `{"outcome":"lawful","reasons":"合法","document":"sha256:l"}`

func TestSignatures(t *testing.T) {
	for _, alg := range []string{signature.Ed25519, signature.SM2} {
		t.Run("accepted "+alg, func(t *testing.T) {
			f := newFixture(t)
			s := register(t, f, counselWang, alg)
			var sent procedure.LegalityOpinion
			var sentSig *procedure.Signature
			updateReturns(f, func(o client.UpdateWorkflowOptions) bool {
				a := o.Args[0].(procedure.Act[any])
				sent, sentSig = a.Payload.(procedure.LegalityOpinion), a.Signature
				return o.UpdateName == workflows.UpdateLegalityOpinion
			}, workflows.Answer{State: map[string]any{}}, nil)
			rec, sig := signedPost(t, f, opinionPath, opinionBody, opinionBody, s)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Equal(t, alg+":"+s.keyID+":"+sig, sent.Signature, "the verified signature goes on the record")
			require.NotNil(t, sentSig)
			require.Equal(t, `{"act":"`+opinionPath+`","body":{"document":"sha256:l","outcome":"lawful","reasons":"合法"},"nonce":"","v":2}`, sentSig.Body,
				"with the canonical message it covers")
		})
	}

	f := newFixture(t)
	wang := register(t, f, counselWang, signature.Ed25519)
	li := register(t, f, officialLi, signature.Ed25519)
	f.as = &counselWang
	problem := func(rec *httptest.ResponseRecorder) string {
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		return rec.Body.String()
	}

	rec, _ := signedPost(t, f, opinionPath, opinionBody, strings.Replace(opinionBody, "lawful", "unlawful", 1), wang)
	require.Contains(t, problem(rec), "signature check failed", "tampered payload")

	rec, _ = signedPost(t, f, opinionPath, opinionBody, opinionBody, li)
	require.Contains(t, problem(rec), "does not belong", "someone else's key")

	rec, _ = f.do(http.MethodPost, opinionPath, jsonType, opinionBody)
	require.Contains(t, problem(rec), "must be signed", "no signature")

	rec, _ = f.do(http.MethodPost, "/api/v1/keys/"+wang.keyID+"/revoke", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec, _ = signedPost(t, f, opinionPath, opinionBody, opinionBody, wang)
	require.Contains(t, problem(rec), "revoked", "revoked key")

	f.as = &officialLi
	rec, _ = f.do(http.MethodPost, "/api/v1/keys/"+wang.keyID+"/revoke", "", "")
	require.Equal(t, http.StatusForbidden, rec.Code, "only the owner revokes")

	rec, _ = f.do(http.MethodPost, "/api/v1/keys", jsonType, `{"public_key":"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "a key that does not parse")
}

func TestTimeline_Verified(t *testing.T) {
	f := newFixture(t)
	wang := register(t, f, counselWang, signature.Ed25519)
	body, _ := signature.Canonical([]byte(opinionBody))
	sig, err := signature.Sign(wang.priv, body)
	require.NoError(t, err)
	good := &procedure.Signature{KeyID: wang.keyID, Algorithm: signature.Ed25519, Value: sig, Body: string(body)}
	forged := *good
	forged.Body = strings.Replace(forged.Body, "lawful", "unlawful", 1)
	f.store.acts = map[string][]procedure.ActRecord{"BD-2026-007": {
		{WorkflowID: "BD-2026-007/legality/1", Seq: 1, Event: procedure.Event{Kind: "legality_opinion"}, Payload: "{}", Signature: good},
		{WorkflowID: "BD-2026-007/legality/2", Seq: 1, Event: procedure.Event{Kind: "legality_opinion"}, Payload: "{}", Signature: &forged},
		{WorkflowID: "BD-2026-007", Seq: 1, Event: procedure.Event{Kind: "draft"}, Payload: "{}"},
	}}
	f.as = &auditorWu
	rec, _ := f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var entries []api.TimelineEntry
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &entries))
	require.True(t, *entries[0].Verified)
	require.False(t, *entries[1].Verified, "a record altered after the fact does not verify")
	require.Nil(t, entries[2].Verified, "unsigned acts have nothing to verify")
	rec, _ = f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline?format=csv", "", "")
	require.Contains(t, rec.Body.String(), ",true\n")
	require.Contains(t, rec.Body.String(), ",false\n")
	require.True(t, strings.HasPrefix(rec.Body.String(), "\ufeffat,"), "a byte-order mark keeps the Chinese legible in a spreadsheet")
}
