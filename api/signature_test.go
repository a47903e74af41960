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

// signedPost sends body signed by s (over signedBody, normally the same).
func signedPost(t *testing.T, f *fixture, path, body, signedBody string, s signer) (*httptest.ResponseRecorder, string) {
	msg, err := signature.Canonical([]byte(signedBody))
	require.NoError(t, err)
	sig, err := signature.Sign(s.priv, msg)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Authorization", "Bearer "+token(t, *f.as))
	req.Header.Set("Signature", `keyId="`+s.keyID+`", signature="`+sig+`"`)
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec, sig
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
			require.Equal(t, `{"document":"sha256:l","outcome":"lawful","reasons":"合法"}`, sentSig.Body, "with the canonical body it covers")
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
}
